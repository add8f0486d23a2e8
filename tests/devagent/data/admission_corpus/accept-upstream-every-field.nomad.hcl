# verdict: accept
# source: docs/job-specification/upstreams.mdx (datacenter, local_bind_address, mesh_gateway mode, config map, destination_peer)
job "upstreams" {
  group "web" {
    network {
      mode = "bridge"
    }

    service {
      name = "web"
      port = "8080"

      connect {
        sidecar_service {
          proxy {
            upstreams {
              destination_name   = "api"
              local_bind_port    = 9001
              local_bind_address = "127.0.0.1"
              datacenter         = "dc2"

              mesh_gateway {
                mode = "local"
              }

              config {
                connect_timeout_ms = 5000
                protocol           = "http"
              }
            }

            upstreams {
              destination_name = "billing"
              destination_peer = "cluster-02"
              local_bind_port  = 9002
            }
          }
        }
      }
    }

    task "web" {
      driver = "docker"

      config {
        image = "example/web:1"
      }
    }
  }
}
