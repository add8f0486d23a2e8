# verdict: reject
# stage: validate
# error: Consul Connect services "right" and "left" in group "pair" using same address for upstreams (:7001)
# exact: 1 error occurred:\n\t* Consul Connect services "right" and "left" in group "pair" using same address for upstreams (:7001)\n\n
# source: nomad/job_endpoint_hook_connect.go groupConnectUpstreamsValidate (listeners keyed by host:port across the group's services)
job "collide" {
  group "pair" {
    network {
      mode = "bridge"
    }

    service {
      name = "left"
      port = "8080"

      connect {
        sidecar_service {
          proxy {
            upstreams {
              destination_name = "db"
              local_bind_port  = 7001
            }
          }
        }
      }
    }

    service {
      name = "right"
      port = "8081"

      connect {
        sidecar_service {
          proxy {
            upstreams {
              destination_name = "cache"
              local_bind_port  = 7001
            }
          }
        }
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/collide:1"
      }
    }
  }
}
