# verdict: accept
# source: docs/job-specification/network.mdx (hostname, dns servers/searches/options in bridge mode) with a Connect service
job "dns" {
  group "api" {
    network {
      mode     = "bridge"
      hostname = "api-${NOMAD_ALLOC_INDEX}"

      dns {
        servers  = ["10.0.0.53", "10.0.0.54"]
        searches = ["service.consul"]
        options  = ["ndots:2"]
      }
    }

    service {
      name = "api"
      port = "9001"

      connect {
        sidecar_service {}
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/dns:1"
      }
    }
  }
}
