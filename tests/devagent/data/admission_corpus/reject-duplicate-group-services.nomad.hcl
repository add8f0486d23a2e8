# verdict: reject
# stage: validate
# error: Services are not unique: [group->api:9001]
# source: nomad/structs/structs.go TaskGroup.validateServices (name, task, port unique; go-set StringFunc prints a sorted [list])
job "dup-svc" {
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
      port = "9001"

      connect {
        sidecar_service {}
      }

    }

    task "app" {
      driver = "docker"

      config {
        image = "example/dup-svc:1"
      }
    }
  }
}
