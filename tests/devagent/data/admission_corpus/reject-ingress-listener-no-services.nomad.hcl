# verdict: reject
# stage: validate
# error: Consul Ingress Listener requires one or more services
# source: nomad/structs/services.go ConsulIngressListener.Validate
job "ig-noservice" {
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
            }
          }
        }
      }
    }
  }
}
