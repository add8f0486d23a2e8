# verdict: reject
# stage: validate
# error: Consul Connect services "admin" and "web" in group "web" using same address for upstreams (/alloc/tmp/shared.sock)
# source: nomad/job_endpoint_hook_connect.go groupConnectUpstreamsValidate (a socket path is the listener key)
job "collide-sock" {
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
              destination_name       = "db"
              local_bind_socket_path = "/alloc/tmp/shared.sock"
            }
          }
        }
      }
    }

    service {
      name = "admin"
      port = "8081"

      connect {
        sidecar_service {
          proxy {
            upstreams {
              destination_name       = "db-admin"
              local_bind_socket_path = "/alloc/tmp/shared.sock"
            }
          }
        }
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/collide-sock:1"
      }
    }
  }
}
