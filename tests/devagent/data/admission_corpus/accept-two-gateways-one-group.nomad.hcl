# verdict: accept
# source: nomad/job_endpoint_hook_connect.go groupConnectHook (one gateway task per gateway service)
job "gateways" {
  group "edge" {
    network {
      mode = "bridge"
    }

    service {
      name = "public-ingress"
      port = "8080"

      connect {
        gateway {
          ingress {
            listener {
              port = 8080

              service {
                name = "web"
              }
            }
          }
        }
      }
    }

    service {
      name = "legacy-egress"

      connect {
        gateway {
          terminating {
            service {
              name = "mainframe"
            }
          }
        }
      }
    }
  }
}
