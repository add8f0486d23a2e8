# verdict: reject
# stage: validate
# error: Consul Gateway Proxy Envoy DNS Discovery type must be STRICT_DNS or LOGICAL_DNS
# source: nomad/structs/services.go ConsulGatewayProxy.Validate
job "gw-dns" {
  group "gateway" {
    network {
      mode = "bridge"
    }

    service {
      name = "gw"
      port = "8080"

      connect {
        gateway {
          proxy {
            envoy_dns_discovery_type = "MAGIC_DNS"
          }

          ingress {
            listener {
              port     = 8080
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
