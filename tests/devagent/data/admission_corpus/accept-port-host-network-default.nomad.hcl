# verdict: accept
# source: docs/job-specification/network.mdx port host_network ("default") with a Connect service on the label
job "host-net" {
  group "api" {
    network {
      mode = "bridge"

      port "http" {
        host_network = "default"
        to           = 8080
      }
    }

    service {
      name = "api"
      port = "http"

      connect {
        sidecar_service {}
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/host-net:1"
      }
    }
  }
}
