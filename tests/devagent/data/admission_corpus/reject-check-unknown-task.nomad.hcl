# verdict: reject
# stage: validate
# error: Check service: "api" check invalid: refers to non-existent task worker
# source: nomad/structs/structs.go TaskGroup.validateServices
job "check-task" {
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

      check {
        type     = "script"
        command  = "/bin/true"
        task     = "worker"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/check-task:1"
      }
    }
  }
}
