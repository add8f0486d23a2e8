# verdict: reject
# stage: validate
# error: Nomad can't restart the TaskGroup 3 times in an interval of 10s with a delay of 15s
# source: nomad/structs/structs.go RestartPolicy.Validate (attempts x delay must fit in the interval)
job "restart-delay" {
  group "api" {
    network {
      mode = "bridge"
    }

    restart {
      attempts = 3
      interval = "10s"
      delay    = "15s"
      mode     = "delay"
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
        image = "example/restart-delay:1"
      }
    }
  }
}
