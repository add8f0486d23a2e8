# verdict: reject
# stage: validate
# error: Port "http" cannot be mapped to a port (70000) greater than 65535
# source: nomad/structs/structs.go TaskGroup.validateNetworks
job "to-large" {
  group "web" {
    network {
      mode = "bridge"

      port "http" {
        to = 70000
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
        image = "example/to-large:1"
      }
    }
  }
}
