# verdict: accept
# source: docs/job-specification/check.mdx (grpc_service, grpc_use_tls, tls_server_name, tls_skip_verify, header) on a
# source: Connect service's checks
job "check-tls" {
  group "api" {
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
        name            = "grpc"
        type            = "grpc"
        port            = "9001"
        grpc_service    = "api.v1.Health"
        grpc_use_tls    = true
        tls_server_name = "api.internal"
        tls_skip_verify = true
        interval        = "15s"
        timeout         = "3s"
      }

      check {
        name     = "http"
        type     = "http"
        protocol = "https"
        path     = "/healthz"
        interval = "15s"
        timeout  = "3s"

        header {
          Host = ["api.internal"]
        }
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/check-tls:1"
      }
    }
  }
}
