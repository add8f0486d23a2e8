# verdict: reject
# stage: validate
# error: Check service: "api" check invalid: check requires a port but neither check nor service "api" have a port
# source: nomad/structs/services.go validateCheckPort
job "no-port" {
  group "api" {
    network {
      mode = "bridge"
    }

    service {
      name = "api"
      port = ""

      check {
        type     = "http"
        path     = "/health"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/no-port:1"
      }
    }
  }
}
