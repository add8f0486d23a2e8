# verdict: reject
# stage: validate
# error: Task connect-proxy-api validation failed:
# error: minimum MemoryMB value is 10; got 5
# source: nomad/structs/structs.go Resources.Validate on the injected sidecar task (sidecar_task resources are merged into it)
job "tiny-sidecar" {
  group "api" {
    network {
      mode = "bridge"
    }

    service {
      name = "api"
      port = "9001"

      connect {
        sidecar_service {}

        sidecar_task {
          resources {
            cpu    = 50
            memory = 5
          }
        }
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/tiny-sidecar:1"
      }
    }
  }
}
