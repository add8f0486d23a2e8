# verdict: accept
# source: docs/job-specification/gateway.mdx linked service name "*" (every service of the namespace)
job "tg-wild" {
  group "gateway" {
    network {
      mode = "bridge"
    }

    service {
      name = "edge"

      connect {
        gateway {
          terminating {
            service {
              name = "*"
            }
          }
        }
      }
    }
  }
}
