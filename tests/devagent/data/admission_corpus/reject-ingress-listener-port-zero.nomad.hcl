# verdict: reject
# stage: validate
# error: Service[0] gw validation failed:
# error: Consul Gateway Bind Address must set valid Port
# source: nomad/job_endpoint_hook_connect.go gatewayProxy (bridge mode binds each listener's service on the listener port, 0 here);
# source: nomad/structs/services.go ConsulGateway.Validate checks the proxy before the ingress entry
job "ig-port0" {
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
