# verdict: reject
# stage: parse
# error: input.hcl:20,11-14: Unsupported argument;
# error: Unsupported argument; An argument named "env" is not expected here. Did you mean to define a block of type "env"?
# source: api/consul.go SidecarTask.Env is `hcl:"env,block"` (jobspec2's attribute form of env is for tasks only)
job "expose-numeric" {
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
          env = {
            ENVOY_LOG = "debug"
          }

          resources {
            cpu    = 133
            memory = 63
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
