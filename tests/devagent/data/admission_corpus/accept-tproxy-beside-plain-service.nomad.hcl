# verdict: accept
# source: nomad/job_endpoint_hook_connect.go groupConnectUpstreamsValidate (only services with a connect block count against
# source: transparent proxy's one-connect-block rule)
job "tp-plain" {
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
      name = "api-metrics"
      port = "9102"
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/tp-plain:1"
      }
    }
  }
}
