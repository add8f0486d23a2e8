# verdict: reject
# stage: parse
# error: input.hcl:32,21-31: Unsuitable value type;
# error: Unsuitable value type; Unsuitable duration value: time: unknown unit " seconds" in duration "10 seconds"
# source: jobspec2/hcl_conversions.go decodeDuration (time.ParseDuration's error)
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
        expose   = true
        name     = "api-health"
        type     = "http"
        path     = "/health"
        interval = "10 seconds"
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
