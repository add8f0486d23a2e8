# verdict: accept
# source: docs/job-specification/expose.mdx (explicit path blocks with a listener port label from the group network)
job "expose-paths" {
  group "api" {
    network {
      mode = "bridge"

      port "expose" {
        to = -1
      }
    }

    service {
      name = "api"
      port = "9001"

      connect {
        sidecar_service {
          proxy {
            expose {
              path {
                path            = "/metrics"
                protocol        = "http"
                local_path_port = 9001
                listener_port   = "expose"
              }
            }
          }
        }
      }
    }

    task "api" {
      driver = "docker"

      config {
        image = "example/api:1"
      }
    }
  }
}
