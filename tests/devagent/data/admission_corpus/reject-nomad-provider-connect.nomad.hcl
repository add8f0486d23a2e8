# verdict: reject
# stage: validate
# error: Service with provider nomad cannot include Connect blocks
# source: nomad/structs/services.go validateNomadService
job "nomad-connect" {
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
      provider = "nomad"
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/nomad-connect:1"
      }
    }
  }
}
