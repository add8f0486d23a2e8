# verdict: accept
# source: nomad/structs/structs.go Task.Validate (the kill_timeout/progress_deadline rule is for service jobs only)
job "batch-slow-proxy" {
  type = "batch"

  group "api" {
    network {
      mode = "bridge"
    }

    service {
      name = "api"
      port = "9001"

      connect {
        sidecar_service {}

        sidecar_task {
          kill_timeout = "15m"
        }
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/x:1"
      }
    }
  }
}
