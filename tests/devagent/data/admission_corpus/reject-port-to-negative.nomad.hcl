# verdict: reject
# stage: validate
# error: Port "http" cannot be mapped to negative value -5
# source: nomad/structs/structs.go TaskGroup.validateNetworks (to >= -1)
job "to-negative" {
  group "web" {
    network {
      mode = "bridge"

      port "http" {
        to = -5
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
        image = "example/to-negative:1"
      }
    }
  }
}
