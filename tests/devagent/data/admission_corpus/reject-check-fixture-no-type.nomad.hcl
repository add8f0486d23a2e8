# verdict: reject
# stage: validate
# error: Check example-check1 invalid: invalid check type (""), must be one of grpc, tcp, http, script
# source: jobspec/test-fixtures/tg-service-check-expose.hcl's check (a name and expose only) in a valid group:
# source: nomad/structs/services.go validateCommon (the type is empty)
job "expose-notype" {
  group "group" {
    network {
      mode = "bridge"
    }

    service {
      name = "example"
      port = "9001"

      connect {
        sidecar_service {}
      }

      check {
        name   = "example-check1"
        expose = true
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/expose-notype:1"
      }
    }
  }
}
