# verdict: reject
# stage: validate
# error: Service[0] api validation failed:
# error: Consul Connect must be exclusively native, make use of a sidecar, or represent a Gateway
# source: nomad/structs/services.go ConsulConnect.Validate (an empty connect block configures nothing)
job "empty-connect" {
  group "api" {
    network {
      mode = "bridge"
    }

    service {
      name = "api"
      port = "9001"

      connect {}
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/empty-connect:1"
      }
    }
  }
}
