# verdict: reject
# stage: mutator
# error: error in job mutator expose-check: unable to determine local service port for service check invoice->invoice->invoice-ready
# source: nomad/job_endpoint_hook_expose_check.go exposePathForCheck (the check's own name in the path)
# local: accept
job "expose-dyn2" {
  group "invoice" {
    network {
      mode = "bridge"

      port "http" {}
    }

    service {
      name = "invoice"
      port = "http"

      connect {
        sidecar_service {}
      }

      check {
        type     = "http"
        path     = "/health"
        expose   = true
        interval = "10s"
        timeout  = "2s"
        name     = "invoice-ready"
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/expose-dyn2:1"
      }
    }
  }
}
