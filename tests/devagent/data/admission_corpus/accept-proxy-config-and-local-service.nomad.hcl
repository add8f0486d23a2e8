# verdict: accept
# source: docs/job-specification/proxy.mdx (local_service_address, local_service_port, config map with nested values)
job "proxy-config" {
  group "api" {
    network {
      mode = "bridge"
      port "http" {
        to = 9001
      }
    }

    service {
      name = "api"
      port = "http"

      connect {
        sidecar_service {
          proxy {
            local_service_address = "127.0.0.1"
            local_service_port    = 9001

            config {
              protocol                  = "http"
              local_connect_timeout_ms  = 3000
              envoy_prometheus_bind_addr = "0.0.0.0:9102"
              envoy_extra_static_clusters_json = ""
            }
          }
        }
      }
    }

    task "api" {
      driver = "docker"

      config {
        image = "example/api:1"
      }
    }
  }
}
