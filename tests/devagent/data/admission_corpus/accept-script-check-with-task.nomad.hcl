# verdict: accept
# source: e2e/consul/input/checks_group.nomad (group service script check names its task); structs.go validateScriptChecksInGroupServices
job "script-check" {
  group "web" {
    network {
      mode = "bridge"
    }

    service {
      name = "web"
      port = "8080"
      task = "web"

      connect {
        sidecar_service {}
      }

      check {
        name     = "alive"
        type     = "script"
        command  = "/bin/true"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "web" {
      driver = "docker"

      config {
        image = "example/web:1"
      }
    }
  }
}
