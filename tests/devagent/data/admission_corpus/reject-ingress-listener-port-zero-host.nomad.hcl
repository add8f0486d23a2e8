# verdict: reject
# stage: validate
# error: Consul Ingress Listener requires valid Port
# source: nomad/structs/services.go ConsulIngressListener.Validate (host mode: gatewayProxy adds no bind addresses)
job "ig-port0-host" {
  group "gateway" {
    network {
      mode = "host"
    }

    service {
      name = "gw"
      port = "8080"

      connect {
        gateway {
          ingress {
            listener {
              port     = 0
              protocol = "tcp"

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
