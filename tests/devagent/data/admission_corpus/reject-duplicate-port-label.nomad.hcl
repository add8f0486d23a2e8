# verdict: reject
# stage: validate
# error: Port label http already in use by taskgroup network
# source: nomad/structs/structs.go TaskGroup.validateNetworks
job "dup-label" {
  group "web" {
    network {
      mode = "bridge"

      port "http" {
        to = 8080
      }

      port "http" {
        to = 8081
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
        image = "example/dup-label:1"
      }
    }
  }
}
