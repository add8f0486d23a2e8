# verdict: reject
# stage: validate
# error: Consul Connect transparent proxy requires there is only one connect block
# source: nomad/job_endpoint_hook_connect.go groupConnectUpstreamsValidate (tproxy owns the namespace)
job "tp-two" {
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
      name = "admin"
      port = "9002"

      connect {
        sidecar_service {}
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/tp-two:1"
      }
    }
  }
}
