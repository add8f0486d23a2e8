# verdict: reject
# stage: validate
# error: Consul Linked Service TLS SNI requires CAFile
# source: nomad/structs/services.go ConsulLinkedService.Validate
job "tg-sni" {
  group "gateway" {
    network {
      mode = "bridge"
    }

    service {
      name = "gw"
      port = "8080"

      connect {
        gateway {
          terminating {
            service {
              name = "legacy"
              sni  = "legacy.internal"
            }
          }
        }
      }
    }
  }
}
