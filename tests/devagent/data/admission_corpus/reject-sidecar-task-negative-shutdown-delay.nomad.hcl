# verdict: reject
# stage: validate
# error: Task connect-proxy-count-api validation failed: 1 error occurred:\n\t* ShutdownDelay must be a positive value
# source: nomad/structs SidecarTask.MergeIntoTask copies shutdown_delay; Task.Validate refuses a negative one
job "sidecar-negative-delay" {
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
          shutdown_delay = "-1s"

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
