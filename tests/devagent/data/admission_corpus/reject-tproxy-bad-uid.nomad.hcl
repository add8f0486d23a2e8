# verdict: reject
# stage: validate
# error: transparent proxy block has invalid UID field: invalid user ID "envoy": invalid syntax
# source: nomad/structs/connect.go ConsulTransparentProxy.Validate (strconv.ParseUint(uid, 10, 16))
job "tp-uid" {
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
              uid = "envoy"
            }
          }
        }
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/tp-uid:1"
      }
    }
  }
}
