# verdict: accept
# source: nomad/structs/services.go validateConsulService (the tcp rule applies only when the service has a sidecar_service)
job "native-tcp" {
  group "api" {
    network {
      port "api" {
        static = 9500
      }
    }

    service {
      name = "native-api"
      port = "api"

      connect {
        native = true
      }

      check {
        type     = "tcp"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/native-tcp:1"
      }
    }
  }
}
