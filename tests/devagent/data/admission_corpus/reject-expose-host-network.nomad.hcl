# verdict: reject
# stage: mutator
# error: error in job mutator expose-check: group "api" must use bridge network for exposing service check(s)
# source: nomad/job_endpoint_hook_expose_check.go exposePathForCheck -> tgValidateUseOfBridgeMode (the connect mutator
# source: first injects the sidecar without complaint; the expose-check mutator stops admission)
# local: accept
job "expose-host" {
  group "api" {
    network {
      mode = "host"
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
        image = "example/expose-host:1"
      }
    }
  }
}
