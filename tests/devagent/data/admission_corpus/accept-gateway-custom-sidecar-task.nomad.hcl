# verdict: accept
# source: docs/job-specification/gateway.mdx "Custom gateway task" (sidecar_task merged into the injected gateway task) and
# source: explicit envoy_gateway_bind_addresses kept as given
job "gateway-task" {
  group "gateway" {
    network {
      mode = "bridge"
    }

    service {
      name = "db-gateway"

      connect {
        gateway {
          proxy {
            connect_timeout               = "10s"
            envoy_gateway_no_default_bind = true

            envoy_gateway_bind_addresses "db" {
              address = "0.0.0.0"
              port    = 9443
            }

            config {
              envoy_stats_flush_interval = "5s"
            }
          }

          terminating {
            service {
              name    = "db"
              ca_file = "/etc/ssl/db-ca.pem"
            }

            service {
              name = "cache"
            }
          }
        }

        sidecar_task {
          driver = "docker"

          config {
            image = "envoyproxy/envoy:v1.29.4"
          }

          resources {
            cpu    = 300
            memory = 256
          }
        }
      }
    }
  }
}
