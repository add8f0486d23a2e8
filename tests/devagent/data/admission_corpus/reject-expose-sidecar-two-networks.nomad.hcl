# verdict: reject
# stage: mutator
# error: error in job mutator expose-check: group "api" must specify one bridge network for exposing service check(s)
# source: nomad/job_endpoint_hook_expose_check.go exposePathForCheck -> tgValidateUseOfBridgeMode
# local: accept
job "expose-twonet" {
  group "api" {
    network {
      mode = "bridge"
    }

    network {
      mode = "bridge"
    }

    service {
      name = "api"
      port = "9001"

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
        image = "example/expose-twonet:1"
      }
    }
  }
}
