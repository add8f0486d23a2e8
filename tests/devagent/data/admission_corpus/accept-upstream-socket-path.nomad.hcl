# verdict: accept
# source: docs/job-specification/upstreams.mdx local_bind_socket_path/local_bind_socket_mode; job_endpoint_hook_connect.go groupConnectUpstreamsValidate
job "socket-upstream" {
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
              local_bind_socket_mode = "0600"
            }

            upstreams {
              destination_name = "cache"
              local_bind_port  = 6379
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
