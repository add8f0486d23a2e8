# verdict: reject
# stage: validate
# error: 2 errors occurred:
# error: netip.ParsePrefix("fd00::/129"): prefix length out of range
# error: transparent proxy block has invalid UID field: invalid user ID "-1": invalid syntax
# exact: 1 error occurred:\n\t* Task group api validation failed: 1 error occurred:\n\t* Task group service validation failed: 1 error occurred:\n\t* Service[0] api validation failed: 1 error occurred:\n\t* 2 errors occurred:\n\t* could not parse transparent proxy excluded outbound CIDR as network prefix: netip.ParsePrefix("fd00::/129"): prefix length out of range\n\t* transparent proxy block has invalid UID field: invalid user ID "-1": invalid syntax\n\n\n\n\n\n\n\n\n\n
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
