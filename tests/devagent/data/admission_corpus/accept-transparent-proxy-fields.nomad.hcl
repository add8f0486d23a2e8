# verdict: accept
# source: docs/job-specification/transparent_proxy.mdx (every field); nomad/job_endpoint_hook_connect.go
# source: transparentProxyPortLabelValidate (numeric or a reserved port label), no_dns with network.dns
job "tproxy-fields" {
  group "api" {
    network {
      mode = "bridge"

      port "admin" {
        static = 9900
      }

      dns {
        servers = ["10.0.0.53"]
      }
    }

    service {
      name = "api"
      port = "9001"

      connect {
        sidecar_service {
          proxy {
            transparent_proxy {
              uid                    = "101"
              outbound_port          = 15001
              exclude_inbound_ports  = ["9000", "admin"]
              exclude_outbound_cidrs = ["10.0.0.0/8", "fd00::/8"]
              exclude_outbound_ports = [443, 8443]
              exclude_uids           = ["10", "1000"]
              no_dns                 = true
            }
          }
        }
      }
    }

    task "api" {
      driver = "docker"

      config {
        image = "example/api:1"
      }
    }
  }
}
