# verdict: reject
# stage: validate
# error: job "elsewhere" is in nonexistent namespace "payments"
# source: nomad/job_endpoint_validators.go jobNamespaceConstraintCheckHook.Validate (only "default" exists on a fresh server)
job "elsewhere" {
  namespace = "payments"

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

    task "app" {
      driver = "docker"

      config {
        image = "example/elsewhere:1"
      }
    }
  }
}
