# verdict: accept
# source: docs/job-specification/service.mdx (address with address_mode auto, enable_tag_override) on a Connect service
job "svc-address" {
  group "api" {
    network {
      mode = "bridge"
    }

    service {
      name                = "api"
      port                = "9001"
      address             = "api.internal"
      enable_tag_override = true
      tags                = ["v1", "primary"]

      connect {
        sidecar_service {}
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/svc-address:1"
      }
    }
  }
}
