# verdict: reject
# stage: mutator
# error: error in job mutator connect: service.port must be set for mesh gateway service
# source: nomad/job_endpoint_hook_connect.go groupConnectHook (a mesh gateway's service port is its WAN address)
# local: Missing tasks for task group
job "mesh-noport" {
  group "mesh" {
    network {
      mode = "bridge"
    }

    service {
      name = "mesh-gateway"
      # no port

      connect {
        gateway {
          mesh {}
        }
      }
    }
  }
}
