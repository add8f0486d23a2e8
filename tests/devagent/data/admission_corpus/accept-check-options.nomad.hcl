# verdict: accept
# source: docs/job-specification/check.mdx (method, header, body, check_restart, on_update, success_before_passing,
# source: failures_before_critical, initial_status, tls_skip_verify) on a Connect service
job "check-options" {
  group "api" {
    network {
      mode = "bridge"
    }

    service {
      name      = "api"
      port      = "9001"
      on_update = "require_healthy"

      connect {
        sidecar_service {}
      }

      check {
        name                     = "api-post"
        type                     = "http"
        path                     = "/health?full=1"
        method                   = "POST"
        body                     = "{\"deep\": true}"
        expose                   = true
        interval                 = "5s"
        timeout                  = "2s"
        initial_status           = "warning"
        success_before_passing   = 2
        failures_before_critical = 3
        on_update                = "ignore_warnings"
        tls_skip_verify          = true

        header {
          Authorization = ["Bearer token"]
          X-Probe       = ["nomad", "consul"]
        }

        check_restart {
          limit           = 3
          grace           = "30s"
          ignore_warnings = true
        }
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
