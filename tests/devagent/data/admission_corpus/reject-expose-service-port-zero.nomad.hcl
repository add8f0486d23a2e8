# verdict: reject
# stage: mutator
# error: error in job mutator expose-check: unable to determine local service port for service check api->api->service: "api" check
# source: nomad/job_endpoint_hook_expose_check.go exposePathForCheck ("0" is no label and no positive port)
# local: accept
job "port-zero" {
  group "api" {
    network {
      mode = "bridge"
    }

    service {
      name = "api"
      port = "0"

      connect {
        sidecar_service {}
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
        image = "example/port-zero:1"
      }
    }
  }
}
