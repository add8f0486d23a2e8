# verdict: reject
# stage: validate
# error: Service address_mode must be "auto", "host", or "driver"; not "public"
# source: nomad/structs/services.go Service.Validate
job "addr-bogus" {
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
      address_mode = "public"
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/addr-bogus:1"
      }
    }
  }
}
