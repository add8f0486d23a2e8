# verdict: accept
# source: nomad/job_endpoint_hook_connect.go groupConnectUpstreamsValidate (a socket listener and a port listener never collide)
job "mixed-listeners" {
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
              local_bind_socket_path = "/alloc/tmp/db.sock"
            }

            upstreams {
              destination_name = "db-ro"
              local_bind_port  = 5433
            }

            upstreams {
              destination_name   = "db-rw"
              local_bind_port    = 5433
              local_bind_address = "127.0.0.2"
            }
          }
        }
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/mixed-listeners:1"
      }
    }
  }
}
