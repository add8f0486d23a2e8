# verdict: accept
# source: docs/job-specification/consul.mdx (a group consul block naming the default cluster)
job "group-default" {
  group "api" {
    consul {
      cluster = "default"
    }

    network {
      mode = "bridge"
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
        image = "example/group-default:1"
      }
    }
  }
}
