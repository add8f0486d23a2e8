# verdict: reject
# stage: validate
# error: Task group count can't be negative
# source: nomad/structs/structs.go TaskGroup.Validate
job "negative" {
  group "api" {
    count = -1

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
        image = "example/negative:1"
      }
    }
  }
}
