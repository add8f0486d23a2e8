# verdict: accept
# source: e2e/connect/input/multi-service.nomad (two Connect services, one bridge group)
job "multi-service" {
  group "test" {
    network {
      mode = "bridge"
    }

    service {
      name = "echo1"
      port = "9001"

      connect {
        sidecar_service {}
      }
    }

    service {
      name = "echo2"
      port = "9002"

      connect {
        sidecar_service {}
      }
    }

    task "echo1" {
      driver = "docker"

      config {
        image = "hashicorp/http-echo"
        args  = ["-listen=:9001", "-text=echo1"]
      }
    }

    task "echo2" {
      driver = "docker"

      config {
        image = "hashicorp/http-echo"
        args  = ["-listen=:9002", "-text=echo2"]
      }
    }
  }
}
