# verdict: reject
# stage: validate
# error: Consul Connect service name "Shop-cart" in group "cart" must not contain uppercase characters
# source: api/services.go Service.Canonicalize (an unnamed group service is named <job>-<group>), then
# source: nomad/job_endpoint_hook_connect.go groupConnectSidecarValidate
job "Shop" {
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
