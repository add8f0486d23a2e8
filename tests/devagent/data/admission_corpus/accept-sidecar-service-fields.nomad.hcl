# verdict: accept
# source: docs/job-specification/sidecar_service.mdx (port label, tags, meta, disable_default_tcp_check)
job "sidecar-fields" {
  group "api" {
    network {
      mode = "bridge"
      port "proxy" {
        to = 21000
      }
    }

    service {
      name = "api"
      port = "9001"
      tags = ["v1"]

      connect {
        sidecar_service {
          port                      = "proxy"
          tags                      = ["sidecar", "v1"]
          disable_default_tcp_check = true

          meta {
            team = "payments"
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
