# verdict: reject
# stage: validate
# error: Consul Connect services "order" and "order" in group "order" using same address for upstreams (:7000)
# source: nomad/job_endpoint_hook_connect.go groupConnectUpstreamsValidate; the upstreams come from an HCL2 dynamic block
locals {
  upstreams = ["tax", "invoice"]
}

job "dynamic-collide" {
  group "order" {
    network {
      mode = "bridge"
    }

    service {
      name = "order"
      port = "8080"

      connect {
        sidecar_service {
          proxy {
            dynamic "upstreams" {
              for_each = local.upstreams

              content {
                destination_name = upstreams.value
                local_bind_port  = 7000
              }
            }
          }
        }
      }
    }

    task "order" {
      driver = "docker"

      config {
        image = "example/order:1"
      }
    }
  }
}
