# verdict: accept
# source: nomad/job_endpoint_hook_expose_check.go exposePathForCheck (strconv.Atoi accepts a sign: "+9001" is port 9001)
job "j" {
  group "api" {
    network {
      mode = "bridge"
    }
    service {
      name = "api"
      port = "+9001"
      connect {
        sidecar_service {}
      }
      check {
        expose   = true
        name     = "h"
        type     = "http"
        path     = "/health"
        interval = "10s"
        timeout  = "3s"
      }
    }
    task "web" {
      driver = "docker"
      config { image = "x" }
    }
  }
}
