# verdict: reject
# stage: validate
# error: Minimum healthy time must be less than healthy deadline: 6m0s > 5m0s
# source: nomad/structs/structs.go UpdateStrategy.Validate
job "min-healthy" {
  group "api" {
    network {
      mode = "bridge"
    }

    update {
      canary           = 1
      min_healthy_time = "6m"
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
        image = "example/min-healthy:1"
      }
    }
  }
}
