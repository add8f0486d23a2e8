# verdict: accept
# source: docs/job-specification/gateway.mdx ingress with tls, http listener, hosts, wildcard service; gateway proxy options
job "ingress-http" {
  group "ingress" {
    network {
      mode = "bridge"

      port "web" {
        static = 8443
        to     = 8443
      }
    }

    service {
      name = "web-ingress"
      port = "8443"

      connect {
        gateway {
          proxy {
            connect_timeout                 = "3s"
            envoy_dns_discovery_type        = "LOGICAL_DNS"
            envoy_gateway_bind_tagged_addresses = false
          }

          ingress {
            tls {
              enabled         = true
              tls_min_version = "TLSv1_2"
            }

            listener {
              port     = 8443
              protocol = "http"

              service {
                name  = "web"
                hosts = ["web.example.com", "web.example.com:8443"]
              }
            }

            listener {
              port     = 8444
              protocol = "http"

              service {
                name = "*"
              }
            }
          }
        }
      }
    }
  }
}
