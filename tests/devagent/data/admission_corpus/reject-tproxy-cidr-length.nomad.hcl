# verdict: reject
# stage: validate
# error: netip.ParsePrefix("10.0.0.0/33"): prefix length out of range
# source: nomad/structs/connect.go ConsulTransparentProxy.Validate (netip.ParsePrefix)
job "tp-cidr-len" {
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
              exclude_outbound_cidrs = ["10.0.0.0/33"]
            }
          }
        }
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/tp-cidr-len:1"
      }
    }
  }
}
