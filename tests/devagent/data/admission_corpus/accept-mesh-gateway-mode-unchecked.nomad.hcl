# verdict: accept
# source: nomad/structs/services.go ConsulMeshGateway.Validate exists but nothing in v1.8.4 calls it, so any upstream
# source: mesh_gateway mode passes admission
job "mesh-mode" {
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
              destination_name = "api"
              local_bind_port  = 9001

              mesh_gateway {
                mode = "sometimes"
              }
            }
          }
        }
      }
    }

    task "web" {
      driver = "docker"

      config {
        image = "example/web:1"
      }
    }
  }
}
