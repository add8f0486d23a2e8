# verdict: reject
# stage: validate
# error: on_update value "ignore_warnings" not supported with check_restart ignore_warnings value "false"
# source: nomad/structs/services.go validateCommon (services_test.go: on_update ignore_warnings needs check_restart's
# source: ignore_warnings)
job "warn-mismatch" {
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
        type      = "http"
        path      = "/health"
        interval  = "10s"
        timeout   = "2s"
        on_update = "ignore_warnings"

        check_restart {
          limit = 2
        }
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/warn-mismatch:1"
      }
    }
  }
}
