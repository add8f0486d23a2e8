# Rendered by the deployer from jobs/service.nomad.hcl.j2: edit the template or the values, not this file.
job "tax" {
  datacenters = ["dc1"]
  type        = "service"

  meta {
    managed_by = "deployer"
  }

  group "tax" {
    count = 1

    network {
      mode = "bridge"

      port "envoy_metrics" {
        to = 9102
      }
    }

    service {
      name = "tax"
      port = "5002"
      tags = []

      check {
        type     = "http"
        path     = "/health"
        interval = "1s"
        timeout  = "1s"
        expose   = true
      }

      connect {
        sidecar_service {
          proxy {
            config {
              protocol = "http"
              envoy_prometheus_bind_addr = "0.0.0.0:${NOMAD_PORT_envoy_metrics}"
            }
          }
        }
      }
    }

    update {
      max_parallel      = 1
      health_check      = "checks"
      min_healthy_time  = "1s"
      healthy_deadline  = "1m"
      progress_deadline = "2m"
      auto_revert       = true
      canary            = 1
      auto_promote      = true
    }

    restart {
      attempts = 3
      interval = "1m"
      delay    = "1s"
      mode     = "fail"
    }

    task "tax" {
      driver = "raw_exec"

      config {
        command = "/opt/mesh/.venv/bin/python"
        args    = ["-m", "services.tax"]
      }

      env {
        PYTHONPATH       = "/opt/mesh"
        PORT             = "5002"
        PYTHONUNBUFFERED = "1"
      }

      shutdown_delay = "1s"

      resources {
        cpu    = 100
        memory = 128
      }
    }
  }
}
