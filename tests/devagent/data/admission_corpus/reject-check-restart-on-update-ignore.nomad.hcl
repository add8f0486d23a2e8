# verdict: reject
# stage: validate
# error: on_update value "ignore" is not compatible with check_restart
# source: nomad/structs/services.go validateCommon (check_restart vs on_update)
job "restart-ignore" {
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
        on_update = "ignore"

        check_restart {
          limit = 3
        }
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/restart-ignore:1"
      }
    }
  }
}
