# verdict: reject
# stage: validate
# error: Consul Connect gateways require exactly 1 network, found 2 in group "gateway"
# source: nomad/job_endpoint_hook_connect.go groupConnectGatewayValidate
job "gw-twonet" {
  group "gateway" {
    network {
      mode = "bridge"
    }

    network {
      mode = "bridge"
    }

    service {
      name = "edge"
      port = "8080"

      connect {
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
