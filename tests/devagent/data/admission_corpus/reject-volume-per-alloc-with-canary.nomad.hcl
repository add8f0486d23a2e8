# verdict: reject
# stage: validate
# error: Task group volume validation for data failed:
# error: volume cannot be per_alloc when canaries are in use
# source: nomad/structs/volumes.go VolumeRequest.Validate (per_alloc volumes and canaries exclude each other)
job "per-alloc" {
  group "db" {
    count = 2

    update {
      canary = 1
    }

    volume "data" {
      type      = "csi"
      source    = "db-data"
      per_alloc = true

      attachment_mode = "file-system"
      access_mode     = "single-node-writer"
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
