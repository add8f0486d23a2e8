# verdict: reject
# stage: validate
# error: Consul Connect transparent proxy port "70000" must be numeric or one of network.port labels
# source: nomad/job_endpoint_hook_connect.go transparentProxyPortLabelValidate (strconv.ParseUint(label, 10, 16))
job "tp-range" {
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
              exclude_inbound_ports = ["70000"]
            }
          }
        }
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/tp-range:1"
      }
    }
  }
}
