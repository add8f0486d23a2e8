# verdict: accept
# source: nomad/structs/structs.go TaskGroup.Validate (count 0 is allowed)
job "zero" {
  group "api" {
    count = 0

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
        image = "example/zero:1"
      }
    }
  }
}
