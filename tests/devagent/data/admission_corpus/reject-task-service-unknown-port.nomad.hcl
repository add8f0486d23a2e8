# verdict: reject
# stage: validate
# error: port label "metrics" referenced by services app-metrics does not exist
# source: nomad/structs/structs.go validateServices (task services need a known label)
job "task-port" {
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
        image = "example/app:1"
      }

      service {
        name = "app-metrics"
        port = "metrics"
      }
    }
  }
}
