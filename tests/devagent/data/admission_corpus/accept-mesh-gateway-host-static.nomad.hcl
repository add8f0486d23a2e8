# verdict: accept
# source: nomad/job_endpoint_hook_connect.go groupConnectGatewayValidate (host mode) with a static WAN port
job "mesh-host" {
  group "gateway" {
    network {
      mode = "host"

      port "wan" {
        static = 8443
      }
    }

    service {
      name = "mesh-gateway"
      port = "wan"

      connect {
        gateway {
          mesh {}
        }
      }
    }
  }
}
