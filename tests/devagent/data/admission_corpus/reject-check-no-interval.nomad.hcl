# verdict: reject
# stage: validate
# error: Check service: "api" check invalid: missing required value interval. Interval cannot be less than 1s
# source: nomad/structs/services.go validateCommon
job "no-interval" {
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
        timeout  = "1s"
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/no-interval:1"
      }
    }
  }
}
