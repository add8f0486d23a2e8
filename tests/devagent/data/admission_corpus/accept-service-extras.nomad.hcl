# verdict: accept
# source: docs/job-specification/service.mdx (tagged_addresses, enable_tag_override, canary_meta, address_mode alloc,
# source: cluster, kind-less Connect service with meta)
job "service-extras" {
  group "api" {
    network {
      mode = "bridge"
    }

    service {
      name                = "api"
      port                = "9001"
      tags                = ["primary"]
      enable_tag_override = true
      address_mode        = "alloc"
      cluster             = "default"

      tagged_addresses {
        lan = "10.0.0.5"
      }

      meta {
        version = "1"
      }

      canary_meta {
        version = "2"
      }

      connect {
        sidecar_service {}
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/service-extras:1"
      }
    }
  }
}
