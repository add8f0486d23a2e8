# verdict: reject
# stage: validate
# error: Check service: "api" check invalid: on_update value "ignore" is not compatible with check_restart
# source: api/services.go Service.Canonicalize (a check inherits the service's on_update and its check_restart is merged in;
# source: a negative success_before_passing is clamped to 0); nomad/structs/services.go validateCommon
job "inherit" {
  group "api" {
    network {
      mode = "bridge"
    }
    service {
      name = "api"
      port = "9001"
      on_update = "ignore"
      check_restart {
        limit = 3
      }
      connect {
        sidecar_service {}
      }
      check {
        type     = "http"
        path     = "/h"
        interval = "10s"
        timeout  = "2s"
        success_before_passing = -3
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
