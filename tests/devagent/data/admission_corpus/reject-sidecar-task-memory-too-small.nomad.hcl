# verdict: reject
# stage: validate
# error: Task connect-proxy-api validation failed:
# error: minimum MemoryMB value is 10; got 5
# exact: 1 error occurred:\n\t* Task group api validation failed: 1 error occurred:\n\t* Task connect-proxy-api validation failed: 1 error occurred:\n\t* 1 error occurred:\n\t* 1 error occurred:\n\t* minimum MemoryMB value is 10; got 5\n\n\n\n\n\n\n\n\n\n
# source: nomad/structs/structs.go Resources.Validate on the injected sidecar task (sidecar_task resources are merged into it;
# source: Task.Validate and Resources.Validate append MeetsMinResources' multierror unflattened)
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
