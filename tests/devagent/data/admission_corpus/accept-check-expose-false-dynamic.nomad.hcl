# verdict: accept
# source: jobspec/test-fixtures/tg-service-check-expose.hcl's expose = false: the expose-check hook ignores the check
job "expose-false" {
  group "group" {
    network {
      mode = "bridge"

      port "http" {}
    }

    service {
      name = "example"
      port = "http"

      connect {
        sidecar_service {
          proxy {}
        }
      }

      check {
        name     = "example-check2"
        type     = "http"
        path     = "/"
        expose   = false
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/expose-false:1"
      }
    }
  }
}
