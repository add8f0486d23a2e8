# verdict: accept
# source: nomad/job_endpoint_hook_connect.go groupConnectValidate (a bridge group may hold a gateway and a sidecar service)
job "mixed" {
  group "edge" {
    network {
      mode = "bridge"
    }

    service {
      name = "edge"
      port = "8080"

      connect {
        gateway {
          ingress {
            listener {
              port = 8080

              service {
                name = "api"
              }
            }
          }
        }
      }
    }

    service {
      name = "api"
      port = "9001"

      connect {
        sidecar_service {}
      }
    }

    task "api" {
      driver = "docker"

      config {
        image = "example/api:1"
      }
    }
  }
}
