# verdict: reject
# stage: validate
# error: Consul Connect service name "Api" in group "api" must not contain uppercase characters
# absent: using same address for upstreams
# source: nomad/job_endpoint_hook_connect.go groupConnectValidate (the first failing service, then the upstream check is
# source: never reached)
job "first-error" {
  group "api" {
    network {
      mode = "bridge"
    }

    service {
      name = "Api"
      port = "9001"

      connect {
        sidecar_service {}
      }
    }

    service {
      name = "web"
      port = "8080"

      connect {
        sidecar_service {
          proxy {
            upstreams {
              destination_name = "db"
              local_bind_port = 7001
            }

            upstreams {
              destination_name = "db2"
              local_bind_port = 7001
            }
          }
        }
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/first-error:1"
      }
    }
  }
}
