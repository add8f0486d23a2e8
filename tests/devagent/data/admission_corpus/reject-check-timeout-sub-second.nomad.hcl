# verdict: reject
# stage: validate
# error: Check service: "api" check invalid: timeout (250ms) is lower than required minimum timeout 1s
# source: nomad/structs/services.go validateCommon (minCheckTimeout 1s; Go prints 250ms)
job "check-timeout" {
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
        interval = "1.5s"
        timeout  = "250ms"
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/check-timeout:1"
      }
    }
  }
}
