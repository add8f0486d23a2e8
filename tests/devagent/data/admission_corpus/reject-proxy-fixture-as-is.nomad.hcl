# verdict: reject
# stage: validate
# error: Consul Connect sidecars require exactly 1 network, found 0 in group "group"
# error: Missing tasks for task group
# absent: must be numeric or one of network.port labels
# source: jobspec/test-fixtures/tg-service-connect-proxy.hcl submitted as it is (a parser fixture, not a runnable job): the
# source: connect validator stops at the missing network; Job.Validate adds the missing tasks
job "service-connect-proxy" {
  type = "service"

  group "group" {
    service {
      name = "example"

      connect {
        sidecar_service {
          proxy {
            local_service_port = 8080

            upstreams {
              destination_name = "upstream1"
              local_bind_port  = 2001
            }

            transparent_proxy {
              exclude_inbound_ports = ["www", "9000"]
            }
          }
        }
      }
    }
  }
}
