# verdict: reject
# stage: validate
# error: Consul Connect gateways require exactly 1 network, found 0 in group "gateway"
# error: Missing tasks for task group
# source: nomad/job_endpoint_hook_connect.go (Mutate skips the group, so no gateway task is injected);
# source: groupConnectGatewayValidate; structs.go TaskGroup.Validate (no tasks)
job "gw-nonet" {
  group "gateway" {
    # no network

    service {
      name = "gw"
      port = "8080"

      connect {
        gateway {
          ingress {
            listener {
              port     = 8080
              protocol = "tcp"

              service {
                name = "api"
              }
            }
          }
        }
      }
    }
  }
}
