# verdict: accept
# source: nomad/job_endpoint_hook_connect.go groupConnectHook (sidecar_service port names the proxy's label; injectPort adds
# source: it as a dynamic port when the network lacks it)
job "proxy-label" {
  group "api" {
    network {
      mode = "bridge"
    }

    service {
      name = "api"
      port = "9001"

      connect {
        sidecar_service {
          port = "envoy"
        }
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/proxy-label:1"
      }
    }
  }
}
