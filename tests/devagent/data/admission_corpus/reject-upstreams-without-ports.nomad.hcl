# verdict: reject
# stage: validate
# error: Consul Connect services "web" and "web" in group "web" using same address for upstreams (:0)
# source: nomad/job_endpoint_hook_connect.go groupConnectUpstreamsValidate (two upstreams with neither port nor socket both
# source: listen on ":0")
job "no-ports" {
  group "web" {
    network {
      mode = "bridge"
    }

    service {
      name = "web"
      port = "8080"

      connect {
        sidecar_service {
          proxy {
            upstreams {
              destination_name = "db"
            }

            upstreams {
              destination_name = "cache"
            }
          }
        }
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/no-ports:1"
      }
    }
  }
}
