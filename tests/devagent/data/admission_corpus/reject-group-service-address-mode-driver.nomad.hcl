# verdict: reject
# stage: validate
# error: service "api" cannot use address_mode="driver", only services defined in a "task" block can use this mode
# source: nomad/structs/structs.go TaskGroup.validateServices
job "addr-driver" {
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
      address_mode = "driver"
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/addr-driver:1"
      }
    }
  }
}
