# verdict: reject
# stage: validate
# error: Job task group 2 redefines 'a' from group 1
# source: nomad/structs/structs.go Job.Validate (group names are unique; the connect mutator injected a sidecar in each)
job "dup-groups" {
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

  group "a" {
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
