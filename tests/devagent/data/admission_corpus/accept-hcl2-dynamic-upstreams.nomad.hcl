# verdict: accept
# source: docs/job-specification/hcl2/expressions.mdx dynamic blocks (jobspec2 parse_test.go dynamic cases) for upstreams
locals {
  upstreams = {
    tax     = 7001
    invoice = 7002
  }
}

job "hcl2-dynamic" {
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
                destination_name = upstreams.key
                local_bind_port  = upstreams.value
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
