# verdict: accept
# source: nomad/structs/structs.go TaskGroup.validateServices (a group service's task is only checked for script checks
# source: and native services)
job "svc-task" {
  group "api" {
    network {
      mode = "bridge"
    }

    service {
      name = "api"
      port = "9001"
      task = "app"

      connect {
        sidecar_service {}
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/svc-task:1"
      }
    }
  }
}
