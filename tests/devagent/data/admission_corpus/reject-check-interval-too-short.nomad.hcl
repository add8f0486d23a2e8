# verdict: reject
# stage: validate
# error: Check service: "api" check invalid: interval (500ms) cannot be lower than 1s
# source: nomad/structs/services.go validateCommon (minCheckInterval 1s)
job "short-interval" {
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
        interval = "500ms"
        timeout  = "1s"
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/short-interval:1"
      }
    }
  }
}
