# verdict: accept
# source: nomad/structs/structs.go TaskGroup.validateServices (a check's task must exist: it does)
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
        name     = "script"
        type     = "script"
        task     = "app"
        command  = "/usr/bin/check"
        args     = ["--quick"]
        interval = "30s"
        timeout  = "5s"
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
