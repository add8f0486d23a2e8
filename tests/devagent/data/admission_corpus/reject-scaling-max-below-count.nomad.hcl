# verdict: reject
# stage: validate
# error: Task group scaling policy validation failed:
# error: Scaling policy invalid: task group count must not be greater than maximum count in scaling policy
# source: nomad/structs/structs.go TaskGroup.validateScalingPolicy
job "scale-max" {
  group "api" {
    count = 5

    scaling {
      min = 1
      max = 3
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
        image = "example/scale-max:1"
      }
    }
  }
}
