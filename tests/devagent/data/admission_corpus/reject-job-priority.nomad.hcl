# verdict: reject
# stage: validate
# error: job priority must be between [1, 100]
# source: nomad/structs/structs.go Job.Validate
job "urgent" {
  priority = 101

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
        image = "example/x:1"
      }
    }
  }
}
