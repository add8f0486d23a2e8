# verdict: accept
# source: nomad/job_endpoint_hook_expose_check.go exposePathForCheck (Networks.Port(label).Value > 0: the static value, whatever `to` says)
job "expose-static-to" {
  group "web" {
    network {
      mode = "bridge"

      port "http" {
        static = 8080
        to     = 9090
      }
    }

    service {
      name = "web"
      port = "http"

      connect {
        sidecar_service {}
      }

      check {
        type     = "http"
        path     = "/health"
        expose   = true
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
