# verdict: reject
# stage: validate
# error: exposed service check api->api->service: "api" check requires use of sidecar_proxy
# exact: 1 error occurred:\n\t* exposed service check api->api->service: "api" check requires use of sidecar_proxy\n\n
# source: nomad/job_endpoint_hook_expose_check.go tgValidateUseOfCheckExpose (the mutator skips a service without a sidecar;
# source: the validator refuses it)
job "expose-nosidecar" {
  group "api" {
    network {
      mode = "bridge"
    }

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
        image = "example/expose-nosidecar:1"
      }
    }
  }
}
