# verdict: accept
# source: docs/job-specification/gateway.mdx listener service parameters (request/response header modifiers, limits,
# source: per-service tls with sds) and gateway tls cipher suites; api.ConsulHTTPHeaderModifiers: add and set are blocks
job "ingress-options" {
  group "ingress" {
    network {
      mode = "bridge"

      port "http" {
        static = 8080
        to     = 8080
      }
    }

    service {
      name = "edge"
      port = "8080"

      connect {
        gateway {
          ingress {
            tls {
              enabled         = true
              cipher_suites   = ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"]
              tls_max_version = "TLSv1_3"
            }

            listener {
              port     = 8080
              protocol = "http"

              service {
                name                    = "web"
                hosts                   = ["*.example.com"]
                max_connections         = 100
                max_pending_requests    = 10
                max_concurrent_requests = 50

                request_headers {
                  add {
                    X-Edge = "nomad"
                  }
                  remove = ["X-Debug"]
                }

                response_headers {
                  set {
                    Cache-Control = "no-store"
                  }
                }

                tls {
                  sds {
                    cluster_name  = "sds-cluster"
                    cert_resource = "web-cert"
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}
