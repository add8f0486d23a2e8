# verdict: reject
# stage: validate
# error: Check api-alive invalid: tcp checks are not valid for Connect enabled services
# source: nomad/structs/services.go validateConsulService
job "tcp-named" {
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
        name     = "api-alive"
        type     = "tcp"
        port     = "9001"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/tcp-named:1"
      }
    }
  }
}
