# verdict: reject
# stage: validate
# error: CSI volumes must have an attachment mode
# error: CSI volumes must have an access mode
# source: nomad/structs/volumes.go VolumeRequest.Validate (CSI volumes need attachment and access modes)
job "csi-modes" {
  group "db" {
    volume "data" {
      type   = "csi"
      source = "db-data"
    }

    network {
      mode = "bridge"
    }

    service {
      name = "db"
      port = "5432"

      connect {
        sidecar_service {}
      }
    }

    task "db" {
      driver = "docker"

      config {
        image = "postgres:16"
      }

      volume_mount {
        volume      = "data"
        destination = "/var/lib/postgresql/data"
      }
    }
  }
}
