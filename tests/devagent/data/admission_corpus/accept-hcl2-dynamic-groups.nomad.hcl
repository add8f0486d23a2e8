# verdict: accept
# source: jobspec2/parse_test.go dynamic group blocks; nomad Connect example groups generated per service
locals {
  services = ["alpha", "beta"]
}

job "hcl2-dynamic-groups" {
  dynamic "group" {
    for_each = local.services
    labels   = [group.value]

    content {
      network {
        mode = "bridge"
      }

      service {
        name = group.value
        port = "${9001 + group.key}"

        connect {
          sidecar_service {}
        }
      }

      task "app" {
        driver = "docker"

        config {
          image = "example/${group.value}:1"
        }
      }
    }
  }
}
