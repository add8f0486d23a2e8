# verdict: accept
# source: nomad/job_endpoint_hook_expose_check.go checkIsExposable (a path without a leading "/" is not exposable, so the
# source: dynamic label is never looked up; job_endpoint_hook_expose_check_test.go "no path slash prefix")
job "expose-noslash" {
  group "api" {
    network {
      mode = "bridge"

      port "http" {
        to = 9001
      }
    }

    service {
      name = "api"
      port = "http"

      connect {
        sidecar_service {}
      }

      check {
        type     = "http"
        path     = "health"
        expose   = true
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/expose-dyn:1"
      }
    }
  }
}
