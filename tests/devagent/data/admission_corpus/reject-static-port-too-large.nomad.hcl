# verdict: reject
# stage: validate
# error: Port http (70000) cannot be greater than 65535
# source: nomad/structs/structs.go TaskGroup.validateNetworks
job "static-large" {
  group "web" {
    network {
      mode = "bridge"

      port "http" {
        static = 70000
      }
    }

    service {
      name = "web"
      port = "http"

      connect {
        sidecar_service {}
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/static-large:1"
      }
    }
  }
}
