# verdict: reject
# stage: validate
# error: Check service: "api" check invalid: missing required value timeout. Timeout cannot be less than 1s
# source: nomad/structs/services.go validateCommon
job "no-timeout" {
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
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/no-timeout:1"
      }
    }
  }
}
