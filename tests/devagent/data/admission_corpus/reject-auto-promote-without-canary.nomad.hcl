# verdict: reject
# stage: validate
# error: Auto Promote requires a Canary count greater than zero
# source: nomad/structs/structs.go UpdateStrategy.Validate
job "promote" {
  group "api" {
    network {
      mode = "bridge"
    }

    update {
      auto_promote = true
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
        image = "example/promote:1"
      }
    }
  }
}
