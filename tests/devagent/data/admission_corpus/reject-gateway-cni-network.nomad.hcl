# verdict: reject
# stage: validate
# error: Consul Connect Gateway service requires Task Group with network mode of type "bridge" or "host"
# source: nomad/job_endpoint_hook_connect.go groupConnectGatewayValidate (bridge or host only)
job "gw-cni" {
  group "gateway" {
    network {
      mode = "cni/mesh"
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
        }
      }
    }
  }
}
