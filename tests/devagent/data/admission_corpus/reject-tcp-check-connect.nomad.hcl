# verdict: reject
# stage: validate
# error: Task group api validation failed:
# error: Task group service validation failed:
# error: Service[0] api validation failed:
# error: Check service: "api" check invalid: tcp checks are not valid for Connect enabled services
# exact: 1 error occurred:\n\t* Task group api validation failed: 1 error occurred:\n\t* Task group service validation failed: 1 error occurred:\n\t* Service[0] api validation failed: 1 error occurred:\n\t* Check service: "api" check invalid: tcp checks are not valid for Connect enabled services\n\n\n\n\n\n\n\n
# source: nomad/structs/services.go validateConsulService (tcp checks cannot reach a service bound inside the namespace)
job "tcp-check" {
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

      check {
        type     = "tcp"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/tcp-check:1"
      }
    }
  }
}
