# verdict: accept
# source: nomad/job_endpoint_hook_connect.go groupConnectGatewayValidate (gateways accept "host" networking);
# source: docs/job-specification/gateway.mdx linked service TLS fields
job "terminating-host" {
  group "gateway" {
    network {
      mode = "host"
    }

    service {
      name = "legacy-gateway"

      connect {
        gateway {
          terminating {
            service {
              name      = "legacy-db"
              ca_file   = "/etc/ssl/ca.pem"
              cert_file = "/etc/ssl/cert.pem"
              key_file  = "/etc/ssl/key.pem"
              sni       = "db.internal"
            }
          }
        }
      }
    }
  }
}
