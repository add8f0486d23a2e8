# verdict: accept
# source: docs/job-specification/hcl2/functions (length, max, lookup, upper) and splat expressions feeding count and
# source: upstreams
locals {
  backends = [
    { name = "db", port = 5432 },
    { name = "cache", port = 6379 },
  ]
  sizes = { small = 1, large = 3 }
}

job "splat" {
  group "api" {
    count = lookup(local.sizes, "large", 1)

    network {
      mode = "bridge"
    }

    service {
      name = "api"
      port = "9001"
      tags = local.backends[*].name

      connect {
        sidecar_service {
          proxy {
            upstreams {
              destination_name = local.backends[0].name
              local_bind_port  = local.backends[0].port
            }

            upstreams {
              destination_name = local.backends[1].name
              local_bind_port  = max(local.backends[*].port...)
            }
          }
        }
      }
    }

    task "api" {
      driver = "docker"

      config {
        image = "example/api:${length(local.backends)}"
      }
    }
  }
}
