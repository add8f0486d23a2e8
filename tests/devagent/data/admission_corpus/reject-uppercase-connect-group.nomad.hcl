# verdict: reject
# stage: validate
# error: Consul Connect group "Frontend" with service "api" must not contain uppercase characters
# source: nomad/job_endpoint_hook_connect.go groupConnectSidecarValidate (group names too)
job "upper-group" {
  group "Frontend" {
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
        image = "example/upper-group:1"
      }
    }
  }
}
