# verdict: reject
# stage: validate
# error: Consul Gateway Bind Address must set valid Port
# source: nomad/structs/services.go ConsulGatewayBindAddress.Validate (custom bind addresses are kept as given by
# source: job_endpoint_hook_connect.go gatewayProxy)
job "gw-bind" {
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
            envoy_gateway_no_default_bind = true

            envoy_gateway_bind_addresses "api" {
              address = "0.0.0.0"
              port    = 0
            }
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
