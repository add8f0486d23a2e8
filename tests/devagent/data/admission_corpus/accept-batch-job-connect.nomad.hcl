# verdict: accept
# source: nomad/structs/structs.go Job.Validate and the connect hook do not restrict Connect to service jobs
job "batch-connect" {
  type = "batch"

  group "api" {
    network {
      mode = "bridge"
    }

    service {
      name = "worker"
      port = "9001"

      connect {
        sidecar_service {}
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/x:1"
      }
    }
  }
}
