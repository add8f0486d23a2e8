# verdict: reject
# stage: validate
# error: Healthy deadline must be less than progress deadline: 5m0s > 2m0s
# source: nomad/structs/structs.go UpdateStrategy.Validate
job "deadlines" {
  group "api" {
    network {
      mode = "bridge"
    }

    update {
      healthy_deadline  = "5m"
      progress_deadline = "2m"
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
        image = "example/deadlines:1"
      }
    }
  }
}
