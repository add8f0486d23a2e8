# verdict: reject
# stage: validate
# error: Task group service check validation failed:
# error: Service [api]->api or Check service: "api" check must specify task parameter
# source: nomad/structs/structs.go validateScriptChecksInGroupServices
job "script-notask" {
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
