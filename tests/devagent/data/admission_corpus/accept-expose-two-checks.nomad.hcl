# verdict: accept
# source: nomad/job_endpoint_hook_expose_check.go Mutate (each exposable check gets its own generated listener port)
job "expose-two" {
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
        name     = "live"
        type     = "http"
        path     = "/live"
        expose   = true
        interval = "10s"
        timeout  = "2s"
      }

      check {
        name     = "ready"
        type     = "http"
        path     = "/ready"
        expose   = true
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/expose-two:1"
      }
    }
  }
}
