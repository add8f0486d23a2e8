# verdict: reject
# stage: validate
# error: Consul Connect sidecar requires bridge network, found "host" in group "api"
# source: nomad/job_endpoint_hook_connect.go groupConnectSidecarValidate
job "host-sidecar" {
  group "api" {
    network {
      mode = "host"
    }

    service {
      name = "api"
      port = "9001"

      connect {
        sidecar_service {}
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/host-sidecar:1"
      }
    }
  }
}
