# verdict: reject
# stage: validate
# error: 2 errors occurred:
# error: exposed service check api->api->service: "api" check requires use of sidecar_proxy
# error: interval (500ms) cannot be lower than 1s
# source: nomad/job_endpoint_hooks.go admissionValidators (expose-check's error, then Job.Validate's, in one multierror)
job "expose-structs" {
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
        interval = "500ms"
        timeout  = "2s"
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/expose-structs:1"
      }
    }
  }
}
