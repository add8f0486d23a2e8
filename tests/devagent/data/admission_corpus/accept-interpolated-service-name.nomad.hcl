# verdict: accept
# source: nomad/job_endpoint_hook_connect.go groupConnectHook (service names are interpolated with the job's environment
# source: before the sidecar is named); services.go Validate strips ${...} before the RFC 1123 check
job "shop" {
  group "cart" {
    network {
      mode = "bridge"
    }

    service {
      name = "${NOMAD_JOB_NAME}-cart"
      port = "9001"

      connect {
        sidecar_service {}
      }
    }

    task "cart" {
      driver = "docker"

      config {
        image = "example/cart:1"
      }
    }
  }
}
