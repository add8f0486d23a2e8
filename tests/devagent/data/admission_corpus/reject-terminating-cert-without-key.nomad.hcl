# verdict: reject
# stage: validate
# error: Consul Linked Service TLS Cert and Key must both be set
# source: nomad/structs/services.go ConsulLinkedService.Validate
job "tg-cert" {
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
              name      = "legacy"
              ca_file   = "/etc/ssl/ca.pem"
              cert_file = "/etc/ssl/cert.pem"
            }
          }
        }
      }
    }
  }
}
