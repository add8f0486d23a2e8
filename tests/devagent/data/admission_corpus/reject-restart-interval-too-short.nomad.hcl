# verdict: reject
# stage: validate
# error: Interval can not be less than 5s (got 1s)
# source: nomad/structs/structs.go RestartPolicy.Validate (RestartPolicyMinInterval 5s)
job "restart-interval" {
  group "api" {
    network {
      mode = "bridge"
    }

    restart {
      attempts = 1
      interval = "1s"
      delay    = "100ms"
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
        image = "example/restart-interval:1"
      }
    }
  }
}
