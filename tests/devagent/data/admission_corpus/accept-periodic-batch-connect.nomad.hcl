# verdict: accept
# source: docs/job-specification/periodic.mdx (a periodic batch job may use a Connect sidecar to reach its upstream)
job "nightly-report" {
  type = "batch"

  periodic {
    crons            = ["0 2 * * *"]
    prohibit_overlap = true
    time_zone        = "UTC"
  }

  group "report" {
    network {
      mode = "bridge"
    }

    service {
      name = "report"

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

    task "report" {
      driver = "docker"

      config {
        image = "example/report:1"
      }
    }
  }
}
