# verdict: reject
# stage: validate
# error: Unsupported restart mode: "sometimes"
# source: nomad/structs/structs.go RestartPolicy.Validate
job "restart-mode" {
  group "api" {
    network {
      mode = "bridge"
    }

    restart {
      attempts = 2
      mode     = "sometimes"
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
        image = "example/restart-mode:1"
      }
    }
  }
}
