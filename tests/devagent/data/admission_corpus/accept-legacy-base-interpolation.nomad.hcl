# verdict: accept
# source: nomad/structs/services.go Service.Canonicalize (${BASE} is <job>-<group>-group for a group service)
job "shop" {
  group "cart" {
    network {
      mode = "bridge"
    }

    service {
      name = "${BASE}"
      port = "9001"

      connect {
        sidecar_service {}
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/shop:1"
      }
    }
  }
}
