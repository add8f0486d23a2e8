# Rendered by the deployer from jobs/service.nomad.hcl.j2: edit the template or the values, not this file.
job "invoice" {
  datacenters = ["dc1"]
  type        = "service"

  meta {
    managed_by = "deployer"
  }

  group "invoice" {
    count = 1

    network {
      mode = "bridge"

      port "envoy_metrics" {
        to = 9102
      }
    }

    service {
      name = "invoice"
      port = "5001"
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

            upstreams {
              destination_name = "tax"
              local_bind_port  = 6002
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

    task "invoice" {
      driver = "raw_exec"

      config {
        command = "/opt/mesh/.venv/bin/python"
        args    = ["-m", "services.invoice"]
      }

      env {
        PYTHONPATH       = "/opt/mesh"
        PORT             = "5001"
        PYTHONUNBUFFERED = "1"
        TAX_URL          = "http://${NOMAD_UPSTREAM_ADDR_tax}"
      }

      shutdown_delay = "1s"

      resources {
        cpu    = 100
        memory = 128
      }
    }
  }
}
