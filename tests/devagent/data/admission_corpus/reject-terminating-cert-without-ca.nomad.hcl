# verdict: reject
# stage: validate
# error: Consul Linked Service TLS requires CAFile
# source: nomad/structs/services.go ConsulLinkedService.Validate (TLS client certificates need the CA)
job "tg-noca" {
  group "gateway" {
    network {
      mode = "bridge"
    }

    service {
      name = "egress"

      connect {
        gateway {
          terminating {
            service {
              name      = "legacy"
              cert_file = "/etc/ssl/cert.pem"
              key_file  = "/etc/ssl/key.pem"
            }
          }
        }
      }
    }
  }
}
