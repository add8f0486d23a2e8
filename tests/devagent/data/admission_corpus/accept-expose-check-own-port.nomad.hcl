# verdict: accept
# source: docs/job-specification/expose.mdx "check port"; job_endpoint_hook_expose_check.go exposePathForCheck (the check's own
# source: port label becomes the listener; the service's numeric port is the local path port)
job "expose-own-port" {
  group "api" {
    network {
      mode = "bridge"

      port "healthcheck" {
        to = -1
      }
    }

    service {
      name = "api"
      port = "9001"

      connect {
        sidecar_service {}
      }

      check {
        name     = "api-health"
        type     = "http"
        path     = "/health"
        port     = "healthcheck"
        expose   = true
        interval = "10s"
        timeout  = "3s"
      }
    }

    task "api" {
      driver = "docker"

      config {
        image = "example/api:1"
      }
    }
  }
}
