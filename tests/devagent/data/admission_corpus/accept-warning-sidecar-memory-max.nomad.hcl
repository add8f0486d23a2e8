# verdict: accept
# warning: 1 warning:\n\n* Memory oversubscription is not enabled; Task "api.connect-proxy-count-api" memory_max value will be ignored.
# source: nomad/job_endpoint_hooks.go memoryOversubscriptionValidate sees the injected sidecar with sidecar_task's
# source: memory_max merged in; helper.MergeMultierrorWarnings formats the reply's warnings
job "sidecar-memory-max" {
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
            memory_max = 256
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
