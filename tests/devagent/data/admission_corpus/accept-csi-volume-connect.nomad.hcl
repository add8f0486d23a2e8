# verdict: accept
# source: docs/job-specification/volume.mdx CSI example (per_alloc without canaries) on a Connect group
job "csi-ok" {
  group "db" {
    count = 2

    volume "data" {
      type            = "csi"
      source          = "db-data"
      per_alloc       = true
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
