# verdict: accept
# source: nomad/structs/services.go validateConsulService compares c.Type == "tcp" exactly (and RequiresPort too), while
# source: validateCommon lowercases the type: an upper-case "TCP" check on a Connect service passes admission
job "tcp-upper" {
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
        type     = "TCP"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/tcp-check:1"
      }
    }
  }
}
