# verdict: reject
# stage: validate
# error: Task connect-proxy-count-api validation failed:
# error: Task can only ask for 'cpu' or 'cores' resource, not both.
# source: nomad/structs/structs.go Resources.Merge (sidecar_task's cores join the injected task's default cpu = 250:
# source: api Resources.Canonicalize leaves cpu unset when cores is set) then Resources.Validate
job "sidecar-cores" {
  group "api" {
    network {
      mode = "bridge"
    }

    service {
      name = "count-api"
      port = "9001"

      connect {
        sidecar_service {}

        sidecar_task {
          resources {
            cores  = 1
          }
        }
      }

      check {
        expose   = true
        name     = "api-health"
        type     = "http"
        path     = "/health"
        interval = "10s"
        timeout  = "3s"
      }
    }

    task "web" {
      driver = "docker"

      config {
        image = "hashicorpdev/counter-api:v3"
      }
    }
  }
}
