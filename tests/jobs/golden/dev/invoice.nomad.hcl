# Rendered by the deployer from jobs/invoice.nomad.hcl.j2: edit the template or the values, not this file.
job "invoice" {
  datacenters = ["dc1"]
  type        = "service"

  meta {
    managed_by = "deployer"
    spec_hash  = "16107e996e5b5370f72064ccd0203e9e8af64275f9e2df47c3cc16f250b9106b"
  }

  group "invoice" {
    count = 1

    network {
      mode = "bridge"

      port "http" {
        to = 5001
      }
    }

    service {
      name = "invoice"
      port = "http"
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
