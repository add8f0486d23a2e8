# verdict: accept
# source: nomad/structs/services.go ConsulIngressListener.Validate (grpc and http2 protocols)
job "ig-grpc" {
  group "gateway" {
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
              port     = 8080
              protocol = "grpc"

              service {
                name = "greeter"
              }
            }

            listener {
              port     = 8443
              protocol = "http2"

              service {
                name  = "web"
                hosts = ["web.example.com"]
              }
            }
          }
        }
      }
    }
  }
}
