# verdict: reject
# stage: validate
# error: Consul Ingress Gateway requires at least one listener
# source: nomad/structs/services.go ConsulIngressConfigEntry.Validate
job "ig-nolistener" {
  group "gateway" {
    network {
      mode = "bridge"
    }

    service {
      name = "gw"
      port = "8080"

      connect {
        gateway {
          ingress {}
        }
      }
    }
  }
}
