# verdict: reject
# stage: validate
# error: Task app validation failed:
# error: log storage (100 MB) must be less than requested disk capacity (50 MB)
# source: nomad/structs/structs.go Task.Validate (log storage must fit in the group's ephemeral disk; the sidecar's logs
# source: are 2 x 2 MB, the app task's default 10 x 10 MB)
job "small-disk" {
  group "api" {
    ephemeral_disk {
      size = 50
    }

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
        image = "example/small-disk:1"
      }
    }
  }
}
