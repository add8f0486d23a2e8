# verdict: reject
# stage: validate
# error: Consul Connect transparent proxy requires there is only one connect block
# source: nomad/job_endpoint_hook_connect.go groupConnectUpstreamsValidate (a native connect block counts too)
job "tp-native" {
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
            transparent_proxy {}
          }
        }
      }
    }

    service {
      name = "api-native"
      port = "9002"
      task = "app"

      connect {
        native = true
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/tp-native:1"
      }
    }
  }
}
