# verdict: reject
# stage: validate
# error: Consul Ingress Listener requires protocol of tcp, http, http2, grpc, got "udp"
# source: nomad/structs/services.go ConsulIngressListener.Validate
job "ig-udp" {
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
              protocol = "udp"

              service {
                name = "dns"
              }
            }
          }
        }
      }
    }
  }
}
