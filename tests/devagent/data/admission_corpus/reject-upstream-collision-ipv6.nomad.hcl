# verdict: reject
# stage: validate
# error: Consul Connect services "web" and "web" in group "web" using same address for upstreams ([::1]:7001)
# source: nomad/job_endpoint_hook_connect.go groupConnectUpstreamsValidate (net.JoinHostPort brackets an IPv6 address)
job "collide-v6" {
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
              local_bind_address = "::1"
              local_bind_port = 7001
            }

            upstreams {
              destination_name = "cache"
              local_bind_address = "::1"
              local_bind_port = 7001
            }
          }
        }
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/collide-v6:1"
      }
    }
  }
}
