# verdict: reject
# stage: validate
# error: Consul Ingress Service with a wildcard "*" service name can not also specify hosts
# source: nomad/structs/services.go ConsulIngressService.Validate
job "ig-wild-hosts" {
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
              protocol = "http"

              service {
                name  = "*"
                hosts = ["any.example.com"]
              }
            }
          }
        }
      }
    }
  }
}
