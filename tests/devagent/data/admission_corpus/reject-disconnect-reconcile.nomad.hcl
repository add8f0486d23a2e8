# verdict: reject
# stage: validate
# error: reconcile option is invalid: newest
# source: nomad/structs/group.go DisconnectStrategy.Validate (errInvalidReconcile wrapped with the value: "%w: %s")
job "reconcile" {
  group "api" {
    disconnect {
      reconcile = "newest"
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
        image = "example/reconcile:1"
      }
    }
  }
}
