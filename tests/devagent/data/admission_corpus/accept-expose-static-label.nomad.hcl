# verdict: accept
# source: nomad/job_endpoint_hook_expose_check.go exposePathForCheck (a port label with a static value is known at submit time)
job "expose-static" {
  group "web" {
    network {
      mode = "bridge"

      port "http" {
        static = 9001
        to     = 9001
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
        path     = "/ready"
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
