# verdict: accept
# source: nomad/job_endpoint_hook_connect.go groupConnectHook (a task already named connect-proxy-<service> without the
# source: sidecar kind: the injected task's name gets a uuid suffix)
job "name-clash" {
  group "api" {
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

    task "connect-proxy-api" {
      driver = "docker"

      config {
        image = "example/api:1"
      }
    }
  }
}
