# verdict: accept
# source: api/consul.go ConsulIngressListener.Canonicalize (protocol defaults to tcp)
job "ig-default" {
  group "ingress" {
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
