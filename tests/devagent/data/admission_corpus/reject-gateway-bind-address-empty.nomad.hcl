# verdict: reject
# stage: validate
# error: Consul Gateway Bind Address must be set
# source: nomad/structs/services.go ConsulGatewayBindAddress.Validate
job "gw-noaddr" {
  group "gateway" {
    network {
      mode = "host"
    }

    service {
      name = "gw"
      port = "8080"

      connect {
        gateway {
          proxy {
            envoy_gateway_bind_addresses "api" {
              port = 8080
            }
          }

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
