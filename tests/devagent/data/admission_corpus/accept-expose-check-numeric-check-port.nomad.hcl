# verdict: accept
# source: nomad/job_endpoint_hook_expose_check.go exposePathForCheck (a check port is used as the listener label as given;
# source: group check port labels are not validated at submit time)
job "check-num-port" {
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
        type     = "http"
        path     = "/health"
        port     = "21500"
        expose   = true
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/check-num-port:1"
      }
    }
  }
}
