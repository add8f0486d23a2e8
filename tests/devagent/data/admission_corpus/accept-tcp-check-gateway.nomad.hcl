# verdict: accept
# source: nomad/structs/services.go validateConsulService (a gateway service may have a tcp check)
job "gw-tcp" {
  group "ingress" {
    network {
      mode = "bridge"

      port "inbound" {
        static = 8080
        to     = 8080
      }
    }

    service {
      name = "edge"
      port = "inbound"

      check {
        type     = "tcp"
        interval = "10s"
        timeout  = "2s"
      }

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
