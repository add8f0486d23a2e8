# verdict: reject
# stage: validate
# error: Consul Connect services "web" and "web" in group "web" using same address for upstreams (:7001)
# source: nomad/job_endpoint_hook_connect.go groupConnectUpstreamsValidate (also within one service)
job "collide-self" {
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
              destination_name = "db"
              local_bind_port  = 7001
            }

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
        image = "example/collide-self:1"
      }
    }
  }
}
