# verdict: accept
# source: nomad/job_endpoint_hook_connect.go groupConnectUpstreamsValidate (upstream listeners are compared within a group only)
job "two-groups" {
  group "a" {
    network {
      mode = "bridge"
    }

    service {
      name = "svc-a"
      port = "8080"

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

    task "a" {
      driver = "docker"

      config {
        image = "example/a:1"
      }
    }
  }

  group "b" {
    network {
      mode = "bridge"
    }

    service {
      name = "svc-b"
      port = "8080"

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

    task "b" {
      driver = "docker"

      config {
        image = "example/b:1"
      }
    }
  }
}
