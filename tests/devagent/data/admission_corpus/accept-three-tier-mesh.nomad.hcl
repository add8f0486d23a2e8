# verdict: accept
# source: docs/integrations/consul/service-mesh.mdx pattern: a chain of Connect services in one job (order -> invoice ->
# source: tax), each group with its own upstream port
job "mesh" {
  group "order" {
    network {
      mode = "bridge"

      port "http" {
        static = 8080
        to     = 5000
      }
    }

    service {
      name = "order"
      port = "5000"

      connect {
        sidecar_service {
          proxy {
            upstreams {
              destination_name = "invoice"
              local_bind_port  = 6001
            }
          }
        }
      }
    }

    task "order" {
      driver = "docker"

      config {
        image = "example/order:1"
      }
    }
  }

  group "invoice" {
    network {
      mode = "bridge"
    }

    service {
      name = "invoice"
      port = "5001"

      connect {
        sidecar_service {
          proxy {
            upstreams {
              destination_name = "tax"
              local_bind_port  = 6002
            }
          }
        }
      }
    }

    task "invoice" {
      driver = "docker"

      config {
        image = "example/invoice:1"
      }
    }
  }

  group "tax" {
    network {
      mode = "bridge"
    }

    service {
      name = "tax"
      port = "5002"

      connect {
        sidecar_service {}
      }
    }

    task "tax" {
      driver = "docker"

      config {
        image = "example/tax:1"
      }
    }
  }
}
