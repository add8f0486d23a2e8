# verdict: accept
# source: nomad/job_endpoint_hook_expose_check.go checkIsExposable (a grpc check without a "/" path is not exposable:
# source: the mutator skips it, so its dynamic port label is never looked up); services.go validateConsul allows expose on grpc
job "expose-grpc-nopath" {
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
        type     = "grpc"
        expose   = true
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "greeter" {
      driver = "docker"

      config {
        image = "example/greeter:1"
      }
    }
  }
}
