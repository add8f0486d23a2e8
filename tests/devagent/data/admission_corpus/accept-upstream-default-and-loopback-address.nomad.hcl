# verdict: accept
# source: nomad/job_endpoint_hook_connect.go groupConnectUpstreamsValidate compares listener texts: ":7001" (no
# source: local_bind_address) and "127.0.0.1:7001" differ, though Envoy would bind both on loopback
job "upstream-default-address" {
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
              local_bind_address = "127.0.0.1"
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
