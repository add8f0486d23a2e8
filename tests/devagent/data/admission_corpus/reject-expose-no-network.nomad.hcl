# verdict: reject
# stage: validate
# error: group "api" must specify one bridge network for exposing service check(s)
# source: nomad/job_endpoint_hook_expose_check.go tgValidateUseOfBridgeMode runs first in the validator (no sidecar, so the
# source: mutator skipped the check)
job "expose-nonet" {
  group "api" {
    # no network

    service {
      name = "api"
      port = "9001"

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
        image = "example/expose-nonet:1"
      }
    }
  }
}
