# verdict: reject
# stage: parse
# error: input.hcl:21,11-20: Unsupported block type;
# error: Unsupported block type; Blocks of type "lifecycle" are not expected here.
# source: api/consul.go SidecarTask has no lifecycle (sidecar_task.mdx shows one in the injected task's defaults, which the
# source: user cannot write)
job "expose-numeric" {
  group "api" {
    network {
      mode = "bridge"
    }

    service {
      name = "count-api"
      port = "9001"

      connect {
        sidecar_service {}

        sidecar_task {
          lifecycle {
            hook    = "prestart"
            sidecar = true
          }

          resources {
            cpu    = 133
            memory = 63
          }
        }
      }

      check {
        expose   = true
        name     = "api-health"
        type     = "http"
        path     = "/health"
        interval = "10s"
        timeout  = "3s"
      }
    }

    task "web" {
      driver = "docker"

      config {
        image = "hashicorpdev/counter-api:v3"
      }
    }
  }
}
