# verdict: reject
# stage: validate
# error: 2 errors occurred:
# error: Consul Connect service name "Api" in group "api" must not contain uppercase characters
# error: Check service: "Api" check invalid: tcp checks are not valid for Connect enabled services
# exact: 2 errors occurred:\n\t* Consul Connect service name "Api" in group "api" must not contain uppercase characters\n\t* Task group api validation failed: 1 error occurred:\n\t* Task group service validation failed: 1 error occurred:\n\t* Service[0] Api validation failed: 1 error occurred:\n\t* Check service: "Api" check invalid: tcp checks are not valid for Connect enabled services\n\n\n\n\n\n\n\n
# source: nomad/job_endpoint_hooks.go admissionValidators (every validator's error is appended: the connect hook's first,
# source: then Job.Validate's)
job "many-errors" {
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

      check {
        type     = "tcp"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/many-errors:1"
      }
    }
  }
}
