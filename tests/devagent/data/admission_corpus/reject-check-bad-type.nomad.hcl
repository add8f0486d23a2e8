# verdict: reject
# stage: validate
# error: Check service: "api" check invalid: invalid check type ("udp"), must be one of grpc, tcp, http, script
# source: nomad/structs/services.go validateCommon (Consul check types)
job "bad-type" {
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
        type     = "udp"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/bad-type:1"
      }
    }
  }
}
