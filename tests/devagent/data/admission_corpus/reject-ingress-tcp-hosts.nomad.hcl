# verdict: reject
# stage: validate
# error: Consul Ingress Service doesn't support associating hosts to a service for the "tcp" protocol
# source: nomad/structs/services.go ConsulIngressService.Validate
job "ig-hosts" {
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
              port     = 8080
              protocol = "tcp"

              service {
                name  = "api"
                hosts = ["api.example.com"]
              }
            }
          }
        }
      }
    }
  }
}
