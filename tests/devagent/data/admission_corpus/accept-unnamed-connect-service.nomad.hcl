# verdict: accept
# source: api/services.go Service.Canonicalize (an unnamed group service is named <job>-<group>: "shop-cart")
job "shop" {
  group "cart" {
    network {
      mode = "bridge"
    }

    service {
      port = "9001"

      connect {
        sidecar_service {}
      }
    }

    task "cart" {
      driver = "docker"

      config {
        image = "example/cart:1"
      }
    }
  }
}
