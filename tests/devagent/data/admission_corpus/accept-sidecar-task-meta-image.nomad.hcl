# verdict: accept
# source: docs/job-specification/sidecar_task.mdx default sidecar_task (image from ${meta.connect.sidecar_image}, envoy
# source: args, logs, resources, kill_signal)
job "sidecar-image" {
  group "api" {
    network {
      mode = "bridge"
    }

    service {
      name = "api"
      port = "9001"

      connect {
        sidecar_service {}

        sidecar_task {
          name        = "connect-proxy-api"
          driver      = "docker"
          kill_signal = "SIGINT"
          user        = "101"

          config {
            image = "${meta.connect.sidecar_image}"
            args  = [
              "-c", "${NOMAD_SECRETS_DIR}/envoy_bootstrap.json",
              "-l", "${meta.connect.log_level}",
              "--concurrency", "${meta.connect.proxy_concurrency}",
              "--disable-hot-restart",
            ]
          }

          logs {
            max_files     = 2
            max_file_size = 2
          }

          resources {
            cpu    = 250
            memory = 128
          }

          meta {
            role = "proxy"
          }
        }
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/sidecar-image:1"
      }
    }
  }
}
