# verdict: reject
# stage: validate
# error: with initial delay 30s, delay function "exponential", and delay ceiling 1h0m0s
# error: to accommodate 99999999 attempts
# source: nomad/structs/structs.go ReschedulePolicy.validateDelayParams / viableAttempts (Go loops once per attempt; past
# source: 2^63 the exponential factor is math.MinInt64 on amd64)
job "resched-huge" {
  group "api" {
    reschedule {
      attempts       = 99999999
      interval       = "1h"
      delay          = "30s"
      delay_function = "exponential"
      max_delay      = "1h"
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
        image = "example/resched-huge:1"
      }
    }
  }
}
