# verdict: accept
# source: docs/job-specification/disconnect.mdx (lost_after, reconcile, replace) on a Connect group
job "disconnect" {
  group "api" {
    disconnect {
      lost_after = "30m"
      replace    = false
      reconcile  = "keep_original"
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
        image = "example/disconnect:1"
      }
    }
  }
}
