# verdict: reject
# stage: validate
# error: Task connect-proxy-api validation failed:
# error: KillTimout (15m0s) longer than the group's ProgressDeadline (10m0s)
# source: nomad/structs/structs.go Task.Validate on the injected sidecar (sidecar_task kill_timeout merged; a service job's
# source: default update block has progress_deadline 10m from api/jobs.go DefaultUpdateStrategy)
job "slow-proxy" {
  group "api" {
    network {
      mode = "bridge"
    }

    service {
      name = "api"
      port = "9001"

      connect {
        sidecar_service {}

        sidecar_task {
          kill_timeout = "15m"
        }
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/slow-proxy:1"
      }
    }
  }
}
