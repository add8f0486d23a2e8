# verdict: reject
# stage: validate
# error: Consul Connect service name "Shop-cart" in group "cart" must not contain uppercase characters
# source: nomad/job_endpoint_hook_connect.go groupConnectHook interpolates the name with the job's environment, then
# source: groupConnectSidecarValidate sees the upper case of the job name
job "Shop" {
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

    task "app" {
      driver = "docker"

      config {
        image = "example/Shop:1"
      }
    }
  }
}
