# verdict: accept
# source: nomad/job_endpoint_hook_connect.go injectPort (a dynamic port already labelled connect-proxy-<service> is reused)
job "proxy-port" {
  group "api" {
    network {
      mode = "bridge"

      port "connect-proxy-api" {
        to = -1
      }
    }

    service {
      name = "api"
      port = "9001"

      connect {
        sidecar_service {}
      }
    }

    task "api" {
      driver = "docker"

      config {
        image = "example/api:1"
      }
    }
  }
}
