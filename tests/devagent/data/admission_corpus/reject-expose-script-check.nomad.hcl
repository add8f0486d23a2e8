# verdict: reject
# stage: validate
# error: Check service: "api" check invalid: expose may only be set on HTTP or gRPC checks
# source: nomad/structs/services.go validateConsul (expose only for http and grpc checks)
job "expose-script" {
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
        type     = "script"
        command  = "/bin/check"
        expose   = true
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/expose-script:1"
      }
    }
  }
}
