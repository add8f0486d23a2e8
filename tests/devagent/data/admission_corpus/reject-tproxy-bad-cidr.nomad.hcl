# verdict: reject
# stage: validate
# error: Service[0] api validation failed:
# error: could not parse transparent proxy excluded outbound CIDR as network prefix: netip.ParsePrefix("10.0.0.0"): no '/'
# source: nomad/structs/connect.go ConsulTransparentProxy.Validate (netip.ParsePrefix)
job "tp-cidr" {
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
              exclude_outbound_cidrs = ["10.0.0.0"]
            }
          }
        }
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/tp-cidr:1"
      }
    }
  }
}
