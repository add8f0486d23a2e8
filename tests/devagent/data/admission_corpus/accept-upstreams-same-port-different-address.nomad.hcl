# verdict: accept
# source: nomad/job_endpoint_hook_connect.go groupConnectUpstreamsValidate (the listener key is host:port, so two addresses may share a port)
job "upstream-addresses" {
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
              destination_name   = "db"
              local_bind_port    = 7001
              local_bind_address = "127.0.0.1"
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
              destination_name   = "db"
              local_bind_port    = 7001
              local_bind_address = "127.0.0.2"
            }
          }
        }
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/pair:1"
      }
    }
  }
}
