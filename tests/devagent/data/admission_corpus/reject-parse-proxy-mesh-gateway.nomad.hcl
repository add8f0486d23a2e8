# verdict: reject
# stage: parse
# error: input.hcl:19,13-25: Unsupported block type;
# error: Unsupported block type; Blocks of type "mesh_gateway" are not expected here.
# source: api/consul.go ConsulProxy (mesh_gateway belongs to an upstream, not to the proxy)
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
            mesh_gateway {
              mode = "local"
            }

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
