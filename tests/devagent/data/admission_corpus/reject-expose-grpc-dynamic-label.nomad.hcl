# verdict: reject
# stage: mutator
# error: error in job mutator expose-check: unable to determine local service port for service check grpc->greeter->grpc-health
# source: nomad/job_endpoint_hook_expose_check.go checkIsExposable (grpc with a "/" path) then exposePathForCheck
# local: accept
job "expose-grpc-dyn" {
  group "grpc" {
    network {
      mode = "bridge"

      port "grpc" {
        to = 50051
      }
    }

    service {
      name = "greeter"
      port = "grpc"

      connect {
        sidecar_service {}
      }

      check {
        name     = "grpc-health"
        type     = "grpc"
        path     = "/grpc.health.v1.Health/Check"
        expose   = true
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/expose-grpc-dyn:1"
      }
    }
  }
}
