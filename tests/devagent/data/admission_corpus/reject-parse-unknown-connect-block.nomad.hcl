# verdict: reject
# stage: parse
# error: input.hcl:17,9-16: Unsupported block type;
# error: Unsupported block type; Blocks of type "sidecar" are not expected here.
# source: hcl/v2 hclsyntax Body.Content (no suggestion: every block name is 3 or more edits away)
job "expose-numeric" {
  group "api" {
    network {
      mode = "bridge"
    }

    service {
      name = "count-api"
      port = "9001"

      connect {
        sidecar {}

        sidecar_task {
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
