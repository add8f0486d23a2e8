# verdict: reject
# stage: validate
# error: Consul Connect service name "Api" in group "api" must not contain uppercase characters
# exact: 1 error occurred:\n\t* Consul Connect service name "Api" in group "api" must not contain uppercase characters\n\n
# source: nomad/job_endpoint_hook_connect.go groupConnectSidecarValidate (Consul assumes lower-case sidecar names)
job "upper-svc" {
  group "api" {
    network {
      mode = "bridge"
    }

    service {
      name = "Api"
      port = "9001"

      connect {
        sidecar_service {}
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/upper-svc:1"
      }
    }
  }
}
