# verdict: accept
# source: nomad/structs/services.go validateConsulService (no check needs a port; nothing requires a Connect service's port
# source: at submit time)
job "no-service-port" {
  group "api" {
    network {
      mode = "bridge"
    }

    service {
      name = "api"

      connect {
        sidecar_service {}
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/no-service-port:1"
      }
    }
  }
}
