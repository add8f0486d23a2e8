# verdict: reject
# stage: validate
# error: using both lost_after and max_client_disconnect is not allowed
# source: nomad/structs/structs.go TaskGroup.Validate (lost_after and max_client_disconnect together)
job "mcd-both" {
  group "api" {
    max_client_disconnect = "1h"

    disconnect {
      lost_after = "30m"
    }

    network {
      mode = "bridge"
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
        image = "example/mcd-both:1"
      }
    }
  }
}
