# verdict: accept
# source: docs/job-specification/{template,artifact}.mdx in a Connect task (upstream address rendered from the env)
job "templated" {
  group "api" {
    network {
      mode = "bridge"
    }

    service {
      name = "api"
      port = "9001"

      connect {
        sidecar_service {
          proxy {
            upstreams {
              destination_name = "db"
              local_bind_port  = 5432
            }
          }
        }
      }
    }

    task "api" {
      driver = "docker"

      artifact {
        source      = "https://example.com/config.tar.gz"
        destination = "local/config"
      }

      template {
        data        = "DB_ADDR={{ env \"NOMAD_UPSTREAM_ADDR_db\" }}\n"
        destination = "secrets/db.env"
        env         = true
        change_mode = "restart"
      }

      config {
        image = "example/api:1"
      }
    }
  }
}
