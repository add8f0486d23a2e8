# verdict: reject
# stage: validate
# error: minimum DiskMB value is 10; got 5
# source: nomad/structs/structs.go EphemeralDisk.Validate
job "tiny-disk" {
  group "api" {
    ephemeral_disk {
      size = 5
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
        image = "example/tiny-disk:1"
      }
    }
  }
}
