# verdict: accept
# source: docs/job-specification/parameterized.mdx with a Connect upstream
job "dispatcher" {
  type = "batch"

  parameterized {
    payload       = "optional"
    meta_required = ["customer"]
  }

  group "work" {
    network {
      mode = "bridge"
    }

    service {
      name = "work"

      connect {
        sidecar_service {
          proxy {
            upstreams {
              destination_name = "billing"
              local_bind_port  = 7000
            }
          }
        }
      }
    }

    task "work" {
      driver = "docker"

      dispatch_payload {
        file = "input.json"
      }

      config {
        image = "example/work:1"
      }
    }
  }
}
