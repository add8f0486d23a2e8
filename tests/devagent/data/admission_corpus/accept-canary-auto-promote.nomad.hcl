# verdict: accept
# source: docs/job-specification/update.mdx canary/auto_promote; e2e/consul/input/canary_tags.nomad (canary_tags on a Connect service)
job "canary" {
  update {
    max_parallel     = 1
    canary           = 1
    auto_promote     = true
    auto_revert      = true
    min_healthy_time = "5s"
    healthy_deadline = "2m"
    progress_deadline = "5m"
  }

  group "api" {
    count = 2

    network {
      mode = "bridge"
    }

    service {
      name        = "api"
      port        = "9001"
      tags        = ["live"]
      canary_tags = ["canary"]

      connect {
        sidecar_service {}
      }
    }

    task "api" {
      driver = "docker"

      config {
        image = "example/api:2"
      }
    }
  }
}
