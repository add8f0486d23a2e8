# verdict: accept
# source: docs/job-specification/sidecar_task.mdx (driver, config, env, resources, logs, shutdown_delay overrides merged into the injected task)
job "sidecar-raw-exec" {
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
          name           = "envoy"
          driver         = "raw_exec"
          shutdown_delay = "2s"
          kill_timeout   = "3s"

          config {
            command = "/usr/local/bin/envoy"
            args    = ["-c", "${NOMAD_SECRETS_DIR}/envoy_bootstrap.json", "-l", "${meta.connect.log_level}"]
          }

          env {
            ENVOY_LOG = "info"
          }

          resources {
            cpu    = 100
            memory = 64
          }

          logs {
            max_files     = 3
            max_file_size = 5
          }
        }
      }
    }

    task "api" {
      driver = "raw_exec"

      config {
        command = "/usr/bin/python3"
        args    = ["-m", "http.server", "9001"]
      }
    }
  }
}
