# verdict: reject
# stage: validate
# error: transparent proxy block has invalid ExcludeUIDs field: invalid user ID "70000": value out of range
# source: nomad/structs/connect.go ConsulTransparentProxy.Validate
job "tp-xuid" {
  group "api" {
    network {
      mode = "bridge"
    }

    service {
      name = "api"
      port = "9001"

      connect {
        sidecar_service {
          proxy {
            transparent_proxy {
              exclude_uids = ["0", "70000"]
            }
          }
        }
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/tp-xuid:1"
      }
    }
  }
}
