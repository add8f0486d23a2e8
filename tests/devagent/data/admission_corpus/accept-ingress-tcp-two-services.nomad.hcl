# verdict: accept
# source: nomad/structs/services.go ConsulIngressListener.Validate (gateway.mdx says one service per tcp listener, but Nomad
# source: leaves that to Consul; jobspec/test-fixtures/tg-service-connect-gateway-ingress.hcl has two)
job "ig-two" {
  group "ingress" {
    network {
      mode = "bridge"
    }

    service {
      name = "edge"
      port = "8001"

      connect {
        gateway {
          proxy {
            connect_timeout = "3s"
          }

          ingress {
            listener {
              port     = 8001
              protocol = "tcp"

              service {
                name = "service1"
              }

              service {
                name = "service2"
              }
            }
          }
        }
      }
    }
  }
}
