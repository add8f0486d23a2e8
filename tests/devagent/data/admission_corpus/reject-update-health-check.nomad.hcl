# verdict: reject
# stage: validate
# error: Invalid health check given: "consul"
# source: nomad/structs/structs.go UpdateStrategy.Validate (checks, task_states or manual)
job "health-check" {
  group "api" {
    update {
      health_check = "consul"
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
        image = "example/health-check:1"
      }
    }
  }
}
