# verdict: reject
# stage: validate
# error: Check service: "api" check invalid: http type must have relative http path
# source: nomad/structs/services.go validateCommon (url.Parse(path).IsAbs())
job "abs-path" {
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
        path     = "http://localhost:9001/health"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/abs-path:1"
      }
    }
  }
}
