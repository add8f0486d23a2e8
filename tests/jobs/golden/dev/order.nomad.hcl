# Rendered by the deployer from jobs/service.nomad.hcl.j2: edit the template or the values, not this file.
job "order" {
  datacenters = ["dc1"]
  type        = "service"

  meta {
    managed_by = "deployer"
  }

  group "order" {
    count = 1

    network {
      mode = "bridge"

      port "http" {
        static = 5000
        to     = 5000
      }

      port "envoy_metrics" {
        to = 9102
      }
    }

    service {
      name = "order"
      port = "5000"
      tags = ["edge"]

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
              destination_name = "invoice"
              local_bind_port  = 6001
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
      canary            = 0
      auto_promote      = false
    }

    restart {
      attempts = 3
      interval = "1m"
      delay    = "1s"
      mode     = "fail"
    }

    task "order" {
      driver = "raw_exec"

      config {
        command = "/opt/mesh/.venv/bin/python"
        args    = ["-m", "services.order"]
      }

      env {
        PYTHONPATH       = "/opt/mesh"
        SERVICE_HOST     = "0.0.0.0"
        PYTHONUNBUFFERED = "1"
        INVOICE_URL      = "http://${NOMAD_UPSTREAM_ADDR_invoice}"
      }

      shutdown_delay = "1s"

      resources {
        cpu    = 100
        memory = 128
      }
    }
  }
}
