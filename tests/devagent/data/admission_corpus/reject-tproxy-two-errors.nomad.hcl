# verdict: reject
# stage: validate
# error: 2 errors occurred:
# error: netip.ParsePrefix("fd00::/129"): prefix length out of range
# error: transparent proxy block has invalid UID field: invalid user ID "-1": invalid syntax
# source: nomad/structs/connect.go ConsulTransparentProxy.Validate (more than one error: a nested multierror)
job "tp-two-errors" {
  group "api" {
    network {
      mode = "bridge"
    }

    service {
      name = "api"
      port = "9001"

      connect {
        sidecar_service {
          proxy {
            transparent_proxy {
              uid = "-1"
              exclude_outbound_cidrs = ["fd00::/129"]
            }
          }
        }
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/tp-two-errors:1"
      }
    }
  }
}
