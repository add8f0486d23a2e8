# verdict: reject
# stage: validate
# error: Consul Connect must be exclusively native, make use of a sidecar, or represent a Gateway
# source: nomad/structs/services.go ConsulConnect.Validate (a sidecar and a gateway in one connect block)
job "gw-sidecar" {
  group "gateway" {
    network {
      mode = "bridge"
    }

    service {
      name = "edge"
      port = "8080"

      connect {
        sidecar_service {}

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
  }
}
