# verdict: reject
# stage: parse
# error: input.hcl:28,21-24: Unsuitable value type;
# error: Unsuitable value type; Unsuitable value: a bool is required
# source: hcl/v2 gohcl DecodeExpression (cty cannot convert "yes" to bool; the subject is the expression's start range)
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
          resources {
            cpu    = 133
            memory = 63
          }
        }
      }

      check {
        expose   = "yes"
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
