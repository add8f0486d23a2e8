# verdict: reject
# stage: validate
# error: Consul Connect sidecars require exactly 1 network, found 2 in group "api"
# source: nomad/job_endpoint_hook_connect.go groupConnectSidecarValidate (exactly one network)
job "two-networks" {
  group "api" {
    network {
      mode = "bridge"
    }

    network {
      mode = "bridge"
    }

    service {
      name = "api"
      port = "9001"

      connect {
        sidecar_service {}
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/two-networks:1"
      }
    }
  }
}
