# verdict: reject
# stage: validate
# error: One Consul Gateway Configuration must be set
# source: nomad/structs/services.go ConsulGateway.Validate (exactly one of ingress, terminating, mesh)
job "gw-two" {
  group "gateway" {
    network {
      mode = "bridge"
    }

    service {
      name = "gw"
      port = "8080"

      connect {
        gateway {
          ingress {
            listener {
              port     = 8080
              protocol = "tcp"

              service {
                name = "api"
              }
            }
          }

          terminating {
            service {
              name = "db"
            }
          }
        }
      }
    }
  }
}
