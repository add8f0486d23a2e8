# verdict: reject
# stage: validate
# error: Consul Connect transparent proxy cannot be used with network.dns unless no_dns=true
# source: nomad/job_endpoint_hook_connect.go groupConnectUpstreamsValidate
job "tp-dns" {
  group "api" {
    network {
      mode = "bridge"

      dns {
        servers = ["1.1.1.1"]
      }
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

    task "app" {
      driver = "docker"

      config {
        image = "example/tp-dns:1"
      }
    }
  }
}
