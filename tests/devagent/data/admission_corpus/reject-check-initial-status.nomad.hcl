# verdict: reject
# stage: validate
# error: invalid initial check state (ok), must be one of "passing", "warning", "critical" or empty
# source: nomad/structs/services.go validateCommon
job "bad-status" {
  group "api" {
    network {
      mode = "bridge"
    }

    service {
      name = "api"
      port = "9001"

      connect {
        sidecar_service {}
      }

      check {
        type     = "http"
        path     = "/health"
        interval = "10s"
        timeout  = "2s"
        initial_status = "ok"
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/bad-status:1"
      }
    }
  }
}
