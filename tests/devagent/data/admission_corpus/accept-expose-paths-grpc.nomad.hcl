# verdict: accept
# source: jobspec/test-fixtures/tg-service-proxy-expose.hcl in a bridge group (an http and a grpc expose path)
job "expose-grpc-paths" {
  group "group" {
    network {
      mode = "bridge"

      port "healthcheck" {}
      port "metrics" {}
    }

    service {
      name = "example"
      port = "2222"

      connect {
        sidecar_service {
          proxy {
            expose {
              path {
                path            = "/health"
                protocol        = "http"
                local_path_port = 2222
                listener_port   = "healthcheck"
              }

              path {
                path            = "/metrics"
                protocol        = "grpc"
                local_path_port = 3000
                listener_port   = "metrics"
              }
            }
          }
        }
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/expose-grpc-paths:1"
      }
    }
  }
}
