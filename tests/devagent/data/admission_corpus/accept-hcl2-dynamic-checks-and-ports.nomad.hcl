# verdict: accept
# source: jobspec2 dynamic blocks with labels (ports) and without (checks) in a Connect group
locals {
  ports  = { http = 8080, admin = 9000 }
  probes = ["/live", "/ready"]
}

job "dyn-checks" {
  group "api" {
    network {
      mode = "bridge"

      dynamic "port" {
        for_each = local.ports
        labels   = [port.key]

        content {
          to = port.value
        }
      }
    }

    service {
      name = "api"
      port = "9001"

      connect {
        sidecar_service {}
      }

      dynamic "check" {
        for_each = local.probes

        content {
          name     = "probe${check.key}"
          type     = "http"
          path     = check.value
          expose   = true
          interval = "10s"
          timeout  = "2s"
        }
      }
    }

    task "api" {
      driver = "docker"

      config {
        image = "example/api:1"
        ports = keys(local.ports)
      }
    }
  }
}
