# verdict: reject
# stage: validate
# error: Task api validation failed:
# error: service "api" cannot have "connect" block, only services defined in a "group" block can
# source: nomad/structs/structs.go validateServices (connect only on group services)
job "task-connect" {
  group "api" {
    network {
      mode = "bridge"
    }

    # services on the task

    task "api" {
      driver = "docker"

      config {
        image = "example/api:1"
      }

      service {
        name = "api"
        port = "9001"

        connect {
          sidecar_service {}
        }
      }
    }
  }
}
