# verdict: reject
# stage: validate
# error: exposed service check api->api->service: "api" check requires use of sidecar_proxy
# error: Consul Connect must be exclusively native, make use of a sidecar, or represent a Gateway
# source: nomad/job_endpoint_hook_expose_check.go tgValidateUseOfCheckExpose (sidecar_task alone is not a sidecar);
# source: nomad/structs/services.go ConsulConnect.Validate (nothing configured)
job "expose-task-only" {
  group "api" {
    network {
      mode = "bridge"
    }

    service {
      name = "api"
      port = "9001"

      connect {
        sidecar_task {
          resources {
            cpu = 100
          }
        }
      }

      check {
        type     = "http"
        path     = "/health"
        expose   = true
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/expose-task-only:1"
      }
    }
  }
}
