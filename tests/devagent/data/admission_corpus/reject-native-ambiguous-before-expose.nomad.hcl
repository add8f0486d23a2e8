# verdict: reject
# stage: mutator
# error: error in job mutator connect: task for Consul Connect Native service api->native is ambiguous and must be set
# source: nomad/job_endpoint_hooks.go admissionMutators (the connect mutator runs before expose-check and stops admission)
# local: Service native is Connect Native and requires setting the task
job "mutators-order" {
  group "api" {
    network {
      mode = "bridge"

      port "http" {}
    }

    service {
      name = "api"
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
      }
    }

    service {
      name = "native"
      port = "9002"

      connect {
        native = true
      }
    }

    task "one" {
      driver = "docker"

      config {
        image = "example/one:1"
      }
    }

    task "two" {
      driver = "docker"

      config {
        image = "example/two:1"
      }
    }
  }
}
