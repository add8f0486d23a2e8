# verdict: reject
# stage: validate
# error: Reschedule Policy with Attempts = 3, Interval = 1h0m0s, and Unlimited = true is ambiguous
# error: If Attempts >0, Unlimited cannot also be set to true
# source: api/jobs.go: a service job's default reschedule policy is unlimited, and giving attempts alone does not unset it;
# source: nomad/structs/structs.go ReschedulePolicy.Validate
job "resched-ambiguous" {
  group "api" {
    reschedule {
      attempts = 3
      interval = "1h"
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
        image = "example/resched-ambiguous:1"
      }
    }
  }
}
