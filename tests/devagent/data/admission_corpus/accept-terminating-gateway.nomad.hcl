# verdict: accept
# source: e2e/connect/input/terminating-gateway.nomad; docs/job-specification/gateway.mdx terminating example
job "countdash-terminating" {
  group "api" {
    network {
      mode = "host"
      port "port" {
        static = 9001
      }
    }

    service {
      name = "count-api"
      port = "port"
    }

    task "api" {
      driver = "docker"

      config {
        image        = "hashicorpdev/counter-api:v3"
        network_mode = "host"
      }
    }
  }

  group "gateway" {
    network {
      mode = "bridge"
    }

    service {
      name = "api-gateway"

      connect {
        gateway {
          proxy {}

          terminating {
            service {
              name = "count-api"
            }
          }
        }
      }
    }
  }
}
