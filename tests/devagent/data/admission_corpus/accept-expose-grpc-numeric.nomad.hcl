# verdict: accept
# source: docs/job-specification/expose.mdx (grpc checks through the expose path); nomad/job_endpoint_hook_expose_check_test.go
job "expose-grpc" {
  group "grpc" {
    network {
      mode = "bridge"
    }

    service {
      name = "greeter"
      port = "50051"

      connect {
        sidecar_service {}
      }

      check {
        name         = "greeter-grpc"
        type         = "grpc"
        path         = "/grpc.health.v1.Health/Check"
        grpc_service = "greeter"
        grpc_use_tls = false
        expose       = true
        interval     = "10s"
        timeout      = "2s"
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
