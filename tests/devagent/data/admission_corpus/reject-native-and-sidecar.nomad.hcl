# verdict: reject
# stage: validate
# error: Consul Connect must be exclusively native, make use of a sidecar, or represent a Gateway
# source: nomad/structs/services.go ConsulConnect.Validate (exactly one of native, sidecar, gateway)
job "native-sidecar" {
  group "api" {
    network {
      mode = "bridge"
    }

    service {
      name = "api"
      port = "9001"

      connect {
        native = true
        sidecar_service {}
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/native-sidecar:1"
      }
    }
  }
}
