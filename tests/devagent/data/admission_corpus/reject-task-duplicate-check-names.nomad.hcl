# verdict: reject
# stage: validate
# error: check "alive" is duplicate
# source: nomad/structs/structs.go validateServices (task service checks)
job "dup-checks" {
  group "api" {
    network {
      mode = "bridge"

      port "http" {
        to = 8080
      }
    }

    service {
      name = "api"
      port = "9001"

      connect {
        sidecar_service {}
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/app:1"
      }

      service {
        name = "app-http"
        port = "http"

        check {
          name     = "alive"
          type     = "http"
          path     = "/a"
          interval = "10s"
          timeout  = "2s"
        }

        check {
          name     = "alive"
          type     = "tcp"
          interval = "10s"
          timeout  = "2s"
        }
      }
    }
  }
}
