# verdict: accept
# source: jobspec/test-fixtures/tg-service-connect-sidecar_disablecheck.hcl and _meta.hcl in a bridge group
job "sidecar-flags" {
  group "group" {
    network {
      mode = "bridge"
    }

    service {
      name = "example"
      port = "9001"

      connect {
        sidecar_service {
          disable_default_tcp_check = true

          meta {
            test-key  = "test-value"
            test-key1 = "test-value1"
          }
        }
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/sidecar-flags:1"
      }
    }
  }
}
