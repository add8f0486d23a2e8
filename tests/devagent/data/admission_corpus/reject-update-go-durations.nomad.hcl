# verdict: reject
# stage: validate
# error: Minimum healthy time must be less than healthy deadline: 1m30s > 1m0s
# source: nomad/structs/structs.go UpdateStrategy.Validate (Go's time.Duration formatting: 1m30s, 1m0s)
job "durations" {
  group "api" {
    update {
      min_healthy_time  = "90s"
      healthy_deadline  = "1m"
      progress_deadline = "1h"
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
        image = "example/durations:1"
      }
    }
  }
}
