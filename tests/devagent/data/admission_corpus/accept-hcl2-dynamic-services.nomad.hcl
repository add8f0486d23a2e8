# verdict: accept
# source: jobspec2 dynamic blocks generating several Connect services in one group with distinct upstream ports
locals {
  services = {
    alpha = 9001
    beta  = 9002
  }
}

job "hcl2-dyn-services" {
  group "pair" {
    network {
      mode = "bridge"
    }

    dynamic "service" {
      for_each = local.services
      iterator = svc

      content {
        name = svc.key
        port = "${svc.value}"

        connect {
          sidecar_service {
            proxy {
              upstreams {
                destination_name = "db"
                local_bind_port  = svc.value + 1000
              }
            }
          }
        }
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/pair:1"
      }
    }
  }
}
