# verdict: accept
# warning: MaxClientDisconnect will be deprecated favor of Disconnect.LostAfter
# source: nomad/structs/structs.go TaskGroup.Warnings (max_client_disconnect is deprecated in favour of disconnect.lost_after)
job "mcd" {
  group "api" {
    max_client_disconnect = "1h"

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
        image = "example/mcd:1"
      }
    }
  }
}
