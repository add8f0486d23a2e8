# verdict: reject
# stage: mutator
# error: error in job mutator expose-check: unable to determine local service port for service check api->api->service: "api" check
# source: nomad/job_endpoint_hook_expose_check.go exposePathForCheck (no service port: neither a label nor a number)
# local: accept
job "expose-no-port" {
  group "api" {
    network {
      mode = "bridge"

      port "health" {
        to = -1
      }
    }

    service {
      name = "api"

      connect {
        sidecar_service {}
      }

      check {
        type     = "http"
        path     = "/health"
        port     = "health"
        expose   = true
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/expose-no-port:1"
      }
    }
  }
}
