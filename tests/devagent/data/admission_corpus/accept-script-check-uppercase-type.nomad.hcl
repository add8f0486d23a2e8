# verdict: accept
# source: nomad/structs/structs.go validateScriptChecksInGroupServices compares check.Type == "script" exactly;
# source: validateCommon lowercases it (a command is set): an upper-case "Script" check needs no task
job "script-upper" {
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
        type     = "Script"
        command  = "/bin/true"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/script-notask:1"
      }
    }
  }
}
