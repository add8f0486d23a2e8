# verdict: reject
# stage: validate
# error: Canary count can not be less than zero: -1 < 0
# source: nomad/structs/structs.go UpdateStrategy.Validate
job "canary-neg" {
  group "api" {
    update {
      canary = -1
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
        image = "example/canary-neg:1"
      }
    }
  }
}
