# verdict: accept
# source: docs/job-specification/{migrate,reschedule}.mdx on a Connect group
job "moves" {
  group "api" {
    migrate {
      max_parallel     = 2
      health_check     = "task_states"
      min_healthy_time = "15s"
      healthy_deadline = "2m"
    }

    reschedule {
      attempts       = 3
      interval       = "1h"
      delay          = "30s"
      delay_function = "exponential"
      max_delay      = "10m"
      unlimited      = false
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
        image = "example/moves:1"
      }
    }
  }
}
