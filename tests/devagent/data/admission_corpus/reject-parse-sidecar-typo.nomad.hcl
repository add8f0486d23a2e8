# verdict: reject
# stage: parse
# error: input.hcl:17,9-23: Unsupported block type;
# error: Unsupported block type; Blocks of type "sidecar_servic" are not expected here. Did you mean "sidecar_service"?
# source: hcl/v2 hclsyntax Body.Content (nameSuggestion: within 3 edits)
job "expose-numeric" {
  group "api" {
    network {
      mode = "bridge"
    }

    service {
      name = "count-api"
      port = "9001"

      connect {
        sidecar_servic {}

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
