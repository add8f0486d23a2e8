# verdict: accept
# source: docs/job-specification/gateway.mdx mesh gateway example; nomad/job_endpoint_hook_connect.go groupConnectHook (service port set, lan port injected)
job "mesh-gateway" {
  group "mesh" {
    network {
      mode = "bridge"

      port "mesh_wan" {
        static = 9100
      }
    }

    service {
      name = "mesh-gateway"
      port = "mesh_wan"

      connect {
        gateway {
          mesh {}
        }
      }
    }
  }
}
