# verdict: accept
# source: api/consul.go SidecarTask.VolumeMounts (volume_mount blocks in sidecar_task, merged into the injected task),
# source: docs/job-specification/sidecar_task.mdx
job "sidecar-volume" {
  group "api" {
    network {
      mode = "bridge"
    }

    volume "certs" {
      type      = "host"
      source    = "envoy-certs"
      read_only = true
    }

    service {
      name = "count-api"
      port = "9001"

      connect {
        sidecar_service {}

        sidecar_task {
          volume_mount {
            volume      = "certs"
            destination = "/etc/envoy/certs"
            read_only   = true
          }

          resources {
            cpu    = 133
            memory = 63
          }
        }
      }

      check {
        expose   = true
        name     = "api-health"
        type     = "http"
        path     = "/health"
        interval = "10s"
        timeout  = "3s"
      }
    }

    task "web" {
      driver = "docker"

      config {
        image = "hashicorpdev/counter-api:v3"
      }
    }
  }
}
