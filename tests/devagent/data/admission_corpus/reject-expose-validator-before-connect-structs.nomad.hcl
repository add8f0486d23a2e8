# verdict: reject
# stage: validate
# error: 2 errors occurred:\n\t* Consul Connect sidecar requires bridge network, found "host" in group "api"\n\t* group "api" must use bridge network for exposing service check(s)
# source: nomad/job_endpoint_hooks.go admissionValidators order: connect, expose-check, ..., validate (Job.Validate);
# source: go-multierror lists them in that order
job "validators-order" {
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
    }

    service {
      name = "metrics"
      port = "9102"

      check {
        type     = "http"
        path     = "/metrics"
        expose   = true
        interval = "10s"
        timeout  = "1s"
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/validators-order:1"
      }
    }
  }
}
