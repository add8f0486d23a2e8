# verdict: reject
# stage: validate
# error: Check service: "api" check invalid: http type must have http path
# source: nomad/structs/services.go validateCommon
job "no-path" {
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
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/no-path:1"
      }
    }
  }
}
