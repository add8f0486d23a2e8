# verdict: reject
# stage: validate
# error: Consul Connect transparent proxy port "٨٠" must be numeric or one of network.port labels
# source: nomad/job_endpoint_hook_connect.go transparentProxyPortLabelValidate (strconv.ParseUint takes ASCII digits only)
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
              exclude_inbound_ports = ["٨٠"]
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
