# verdict: reject
# stage: validate
# error: Consul Ingress Service doesn't support associating hosts to a service for the "tcp" protocol
# source: jobspec/test-fixtures/tg-service-connect-gateway-ingress.hcl's tcp listener with hosts, in a valid group:
# source: nomad/structs/services.go ConsulIngressService.Validate
job "connect_gateway_ingress" {
  group "group" {
    network {
      mode = "host"
    }

    service {
      name = "ingress-gateway-service"

      connect {
        gateway {
          proxy {
            connect_timeout                     = "3s"
            envoy_gateway_bind_tagged_addresses = true
            envoy_gateway_no_default_bind       = true

            envoy_gateway_bind_addresses "listener1" {
              address = "10.0.0.1"
              port    = 8888
            }
          }

          ingress {
            listener {
              port     = 8001
              protocol = "tcp"

              service {
                name  = "service1"
                hosts = ["127.0.0.1:8001", "[::1]:8001"]
              }
            }
          }
        }
      }
    }
  }
}
