# verdict: reject
# stage: validate
# error: Restart policy "delay" with 0 attempts is ambiguous
# source: nomad/structs/structs.go RestartPolicy.Validate (0 attempts only with mode fail)
job "restart-zero" {
  group "api" {
    network {
      mode = "bridge"
    }

    restart {
      attempts = 0
      mode     = "delay"
    }

    service {
      name = "api"
      port = "9001"

      connect {
        sidecar_service {}
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/restart-zero:1"
      }
    }
  }
}
