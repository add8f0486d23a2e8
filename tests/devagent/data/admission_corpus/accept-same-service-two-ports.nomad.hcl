# verdict: accept
# source: nomad/job_endpoint_hook_connect.go groupConnectHook (the second service of the same name reuses the first's
# source: sidecar task); structs.go validateServices (name, task and port together must be unique)
job "two-ports" {
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

    service {
      name = "api"
      port = "9002"

      connect {
        sidecar_service {}
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/two-ports:1"
      }
    }
  }
}
