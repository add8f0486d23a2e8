# verdict: reject
# stage: validate
# error: on_update must be "require_healthy", "ignore_warnings", or "ignore"; got "never"
# source: nomad/structs/services.go validateCommon
job "bad-onupdate" {
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
        on_update = "never"
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/bad-onupdate:1"
      }
    }
  }
}
