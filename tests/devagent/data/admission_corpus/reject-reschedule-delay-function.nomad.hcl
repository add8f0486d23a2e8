# verdict: reject
# stage: validate
# error: Invalid delay function "linear", must be one of ["constant" "exponential" "fibonacci"]
# source: nomad/structs/structs.go ReschedulePolicy.Validate (delay_function values; %q of a []string quotes each)
job "resched" {
  group "api" {
    reschedule {
      delay_function = "linear"
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
        image = "example/resched:1"
      }
    }
  }
}
