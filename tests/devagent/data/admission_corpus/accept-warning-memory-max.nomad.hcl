# verdict: accept
# warning: Memory oversubscription is not enabled; Task "api.app" memory_max value will be ignored.
# source: nomad/job_endpoint_hooks.go memoryOversubscriptionValidate (oversubscription is off by default: a warning)
job "mem-max" {
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
        image = "example/app:1"
      }

      resources {
        memory     = 128
        memory_max = 256
      }
    }
  }
}
