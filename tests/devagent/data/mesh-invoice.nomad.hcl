# A job in the style jobs/_macros.nomad.hcl.j2 renders: bridge network, a service with an
# exposed HTTP check, a Connect sidecar with an upstream, update/restart, a raw_exec task.
job "invoice" {
  datacenters = ["dc1"]
  type        = "service"

  meta {
    managed_by = "deployer"
    spec_hash  = "3f2a9c"
  }

  group "invoice" {
    count = 1

    network {
      mode = "bridge"

      port "http" {
        to = 5002
      }
    }

    service {
      name = "invoice"
      port = "http"
      tags = ["mesh", "invoice"]

      meta {
        version = "1"
      }

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
              local_bind_port  = 9191
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
        command = "/usr/bin/python3"
        args    = ["-m", "services.invoice", "--port", "${NOMAD_PORT_http}"]
      }

      env {
        PYTHONUNBUFFERED = "1"
        TAX_URL          = "http://${NOMAD_UPSTREAM_ADDR_tax}"
        APP_PORT         = 5002
      }

      meta {
        owner = "billing"
      }

      shutdown_delay = "1s"
      kill_timeout   = "3s"
      kill_signal    = "SIGTERM"

      resources {
        cpu    = 200
        memory = 128
      }
    }
  }
}
