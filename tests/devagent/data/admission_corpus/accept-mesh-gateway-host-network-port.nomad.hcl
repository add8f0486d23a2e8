# verdict: accept
# source: docs/job-specification/gateway.mdx mesh gateway example (port from a host_network, empty mesh and proxy blocks,
# source: an upstream through the local mesh gateway to another datacenter)
job "countdash-mesh-one" {
  datacenters = ["one"]

  group "mesh-gateway-one" {
    network {
      mode = "bridge"

      port "mesh_wan" {
        host_network = "public"
      }
    }

    service {
      name = "mesh-gateway"
      port = "mesh_wan"

      meta {
        consul-wan-federation = "1"
      }

      connect {
        gateway {
          mesh {}
          proxy {}
        }
      }
    }
  }

  group "dashboard" {
    network {
      mode = "bridge"

      port "http" {
        static = 9002
        to     = 9002
      }
    }

    service {
      name = "count-dashboard"
      port = "9002"

      connect {
        sidecar_service {
          proxy {
            upstreams {
              destination_name = "count-api"
              local_bind_port  = 8080
              datacenter       = "two"

              mesh_gateway {
                mode = "local"
              }
            }
          }
        }
      }
    }

    task "dashboard" {
      driver = "docker"

      env {
        COUNTING_SERVICE_URL = "http://${NOMAD_UPSTREAM_ADDR_count_api}"
      }

      config {
        image = "hashicorpdev/counter-dashboard:v3"
      }
    }
  }
}
