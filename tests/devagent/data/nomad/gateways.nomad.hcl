# Ingress, terminating and mesh gateways (the three kinds jobspec2's fixtures cover).
job "gateways" {
  group "ingress" {
    network {
      mode = "bridge"
      port "inbound" {
        static = 8080
        to     = 8080
      }
    }

    service {
      name = "ingress-gateway"
      port = "8080"

      connect {
        gateway {
          proxy {
            connect_timeout                     = "3s"
            envoy_gateway_bind_tagged_addresses = true
            envoy_gateway_no_default_bind       = true

            envoy_gateway_bind_addresses "public" {
              address = "0.0.0.0"
              port    = 8080
            }
            envoy_gateway_bind_addresses "private" {
              address = "10.0.0.2"
              port    = 8081
            }

            config {
              envoy_prometheus_bind_addr = "0.0.0.0:9102"
            }
          }

          ingress {
            tls {
              enabled         = true
              tls_min_version = "TLSv1_2"
              cipher_suites   = ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"]
            }

            listener {
              port     = 8080
              protocol = "http"

              service {
                name  = "web"
                hosts = ["web.example.com", "web.example.com:8080"]

                request_headers {
                  add {
                    x-gateway = "ingress"
                  }
                }
                response_headers {
                  remove = ["x-internal"]
                }
                max_connections = 512
              }
            }

            listener {
              port = 9090
              service {
                name = "db"
              }
            }
          }
        }
      }
    }
  }

  group "terminating" {
    network {
      mode = "bridge"
    }

    service {
      name = "terminating-gateway"

      connect {
        gateway {
          proxy {
            envoy_dns_discovery_type = "LOGICAL_DNS"
          }

          terminating {
            service {
              name      = "legacy-db"
              ca_file   = "/etc/ssl/ca.pem"
              cert_file = "/etc/ssl/cert.pem"
              key_file  = "/etc/ssl/key.pem"
            }
            service {
              name = "billing"
              sni  = "billing.internal"
            }
          }
        }
      }
    }
  }

  group "mesh" {
    network {
      mode = "bridge"
      port "mesh_wan" {}
    }

    service {
      name = "mesh-gateway"
      port = "mesh_wan"

      connect {
        gateway {
          mesh {}
        }
      }
    }
  }
}
