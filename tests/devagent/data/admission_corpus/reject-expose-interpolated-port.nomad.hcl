# verdict: reject
# stage: mutator
# error: error in job mutator expose-check: unable to determine local service port for service check api->api->service: "api" check
# exact: error in job mutator expose-check: unable to determine local service port for service check api->api->service: "api" check
# source: nomad/job_endpoint_hook_expose_check.go exposePathForCheck (an interpolated port is neither a label nor a number
# source: at submit time)
# local: accept
job "expose-interp" {
  group "api" {
    network {
      mode = "bridge"

      port "http" {
        to = 9001
      }
    }

    service {
      name = "api"
      port = "${NOMAD_PORT_http}"

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
        image = "example/expose-dyn:1"
      }
    }
  }
}
