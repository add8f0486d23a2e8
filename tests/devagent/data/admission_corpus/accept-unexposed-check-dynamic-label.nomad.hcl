# verdict: accept
# source: nomad/job_endpoint_hook_expose_check.go Mutate (only checks with expose = true need the port at submit time)
job "plain-check" {
  group "web" {
    network {
      mode = "bridge"
      port "http" {
        to = 8080
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
