# verdict: reject
# stage: validate
# error: Job type "batch" does not allow update block
# source: nomad/structs/structs.go TaskGroup.Validate (update only for service and system jobs)
job "batchy" {
  type = "batch"

  group "api" {
    update {
      max_parallel = 1
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
        image = "example/x:1"
      }
    }
  }
}
