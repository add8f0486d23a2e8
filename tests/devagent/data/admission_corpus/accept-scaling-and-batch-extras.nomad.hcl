# verdict: accept
# source: docs/job-specification/scaling.mdx (group scaling with count inside min/max) on a Connect group
job "scaled" {
  group "api" {
    count = 2

    scaling {
      enabled = true
      min     = 1
      max     = 5
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

    task "api" {
      driver = "docker"

      config {
        image = "example/api:1"
      }

      resources {
        cpu    = 200
        memory = 128
      }
    }
  }
}
