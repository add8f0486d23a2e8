# verdict: reject
# stage: validate
# error: Check service: "api" check invalid: success_before_passing not supported for check of type "script"
# source: nomad/structs/services.go validateConsul (pass/fail thresholds only for http, tcp and grpc checks)
job "script-threshold" {
  group "api" {
    network {
      mode = "bridge"
    }

    service {
      name = "api"
      port = "9001"
      task = "app"

      connect {
        sidecar_service {}
      }

      check {
        type                   = "script"
        command                = "/bin/check"
        success_before_passing = 2
        interval               = "10s"
        timeout                = "2s"
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/script-threshold:1"
      }
    }
  }
}
