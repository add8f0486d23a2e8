# verdict: reject
# stage: validate
# error: Healthy deadline must be less than progress deadline: 10m0s > 10m0s
# source: api/jobs.go Canonicalize merges the job's update block into each group (progress_deadline defaults to 10m);
# source: nomad/structs/structs.go UpdateStrategy.Validate
job "deadline-merge" {
  update {
    healthy_deadline = "10m"
  }

  group "api" {
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
        image = "example/deadline-merge:1"
      }
    }
  }
}
