# verdict: accept
# source: api/jobs.go Canonicalize (no datacenters -> ["*"]); nomad/structs/structs.go Job.Validate
job "no-dc" {
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

    task "api" {
      driver = "docker"

      config {
        image = "example/api:1"
      }
    }
  }
}
