# verdict: reject
# stage: mutator
# error: error in job mutator expose-check: unable to determine local service port for service check invoice->invoice->service: "invoice" check
# source: nomad/job_endpoint_hook_expose_check.go exposePathForCheck (issue 11's first finding: a dynamic label's value is
# source: unknown at submit time, hashicorp/nomad#9907)
# local: accept
job "invoice" {
  datacenters = ["dc1"]
  type        = "service"

  group "invoice" {
    count = 1

    network {
      mode = "bridge"

      port "envoy_metrics" {
        to = 9102
      }

      port "http" {
        to = 5001
      }
    }

    service {
      name = "invoice"
      port = "http"

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
              protocol                   = "http"
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
      max_parallel     = 1
      min_healthy_time = "1s"
      healthy_deadline = "1m"
      canary           = 1
      auto_promote     = true
    }

    task "invoice" {
      driver = "raw_exec"

      config {
        command = "/opt/mesh/.venv/bin/python"
        args    = ["-m", "services.invoice"]
      }

      env {
        PORT    = "5001"
        TAX_URL = "http://${NOMAD_UPSTREAM_ADDR_tax}"
      }
    }
  }
}
