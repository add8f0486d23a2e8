# verdict: reject
# stage: validate
# error: Consul Connect transparent proxy port "admin" must be numeric or one of network.port labels
# source: nomad/job_endpoint_hook_connect.go transparentProxyPortLabelValidate (numeric or a reserved, i.e. static, port label)
job "tp-label" {
  group "api" {
    network {
      mode = "bridge"

      port "admin" {
        to = 9900
      }
    }

    service {
      name = "api"
      port = "9001"

      connect {
        sidecar_service {
          proxy {
            transparent_proxy {
              exclude_inbound_ports = ["admin"]
            }
          }
        }
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/tp-label:1"
      }
    }
  }
}
