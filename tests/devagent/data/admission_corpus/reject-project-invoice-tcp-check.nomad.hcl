# verdict: reject
# stage: validate
# error: Check service: "invoice" check invalid: tcp checks are not valid for Connect enabled services
# source: nomad/structs/services.go validateConsulService
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
    }

    service {
      name = "invoice"
      port = "5001"

      check {
        type     = "tcp"
        interval = "1s"
        timeout  = "1s"
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
