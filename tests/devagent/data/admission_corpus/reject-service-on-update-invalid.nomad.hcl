# verdict: reject
# stage: validate
# error: Service on_update must be "require_healthy", "ignore_warnings", or "ignore"; not "sometimes"
# source: nomad/structs/services.go Service.Validate
job "svc-onupdate" {
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
      on_update = "sometimes"
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/svc-onupdate:1"
      }
    }
  }
}
