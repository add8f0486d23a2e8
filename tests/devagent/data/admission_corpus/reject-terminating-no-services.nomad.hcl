# verdict: reject
# stage: validate
# error: Consul Terminating Gateway requires at least one service
# source: nomad/structs/services.go ConsulTerminatingConfigEntry.Validate
job "tg-empty" {
  group "gateway" {
    network {
      mode = "bridge"
    }

    service {
      name = "gw"
      port = "8080"

      connect {
        gateway {
          terminating {}
        }
      }
    }
  }
}
