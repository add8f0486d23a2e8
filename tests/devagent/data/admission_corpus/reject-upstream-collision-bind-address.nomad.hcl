# verdict: reject
# stage: validate
# error: Consul Connect services "web" and "web" in group "web" using same address for upstreams (127.0.0.1:7001)
# source: nomad/job_endpoint_hook_connect.go groupConnectUpstreamsValidate (net.JoinHostPort of local_bind_address and port)
job "collide-addr" {
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
              destination_name   = "db"
              local_bind_address = "127.0.0.1"
              local_bind_port    = 7001
            }

            upstreams {
              destination_name   = "db-replica"
              local_bind_address = "127.0.0.1"
              local_bind_port    = 7001
              datacenter         = "dc2"
            }
          }
        }
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/collide-addr:1"
      }
    }
  }
}
