# verdict: reject
# stage: validate
# error: Consul Connect transparent proxy port "²" must be numeric or one of network.port labels
# source: nomad/job_endpoint_hook_connect.go transparentProxyPortLabelValidate
job "j" {
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
              exclude_inbound_ports = ["²"]
            }
          }
        }
      }
    }
    task "web" {
      driver = "docker"
      config { image = "x" }
    }
  }
}
