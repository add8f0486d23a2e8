# verdict: accept
# source: docs/job-specification/upstreams.mdx (destination_namespace, destination_type service, local_bind_port only)
job "upstream-defaults" {
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
              destination_name      = "api"
              destination_namespace = "default"
              destination_type      = "service"
              local_bind_port       = 9001
            }
          }
        }
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/upstream-defaults:1"
      }
    }
  }
}
