# verdict: reject
# stage: validate
# error: Task api validation failed:
# error: service "api" cannot have "connect" block, only services defined in a "group" block can
# exact: 1 error occurred:\n\t* Task group api validation failed: 1 error occurred:\n\t* Task api validation failed: 1 error occurred:\n\t* 2 errors occurred:\n\t* service "api" cannot have "connect" block, only services defined in a "group" block can\n\t* port label "9001" referenced by services api does not exist\n\n\n\n\n\n\n\n
# source: nomad/structs/structs.go validateServices (connect only on group services; a task service's numeric port
# source: is a label too), appended unflattened by Task.Validate
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
