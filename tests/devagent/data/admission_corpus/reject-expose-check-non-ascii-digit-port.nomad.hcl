# verdict: reject
# stage: mutator
# error: error in job mutator expose-check: unable to determine local service port for service check api->api->h
# source: nomad/job_endpoint_hook_expose_check.go exposePathForCheck (strconv.Atoi takes ASCII digits only)
# local: accept
job "j" {
  group "api" {
    network {
      mode = "bridge"
    }
    service {
      name = "api"
      port = "٩٠٠١"
      connect {
        sidecar_service {}
      }
      check {
        expose   = true
        name     = "h"
        type     = "http"
        path     = "/health"
        interval = "10s"
        timeout  = "3s"
      }
    }
    task "web" {
      driver = "docker"
      config { image = "x" }
    }
  }
}
