# verdict: accept
# source: docs/job-specification/{ui,volume,identity}.mdx; jobspec2 test-fixtures; Nomad accepts these blocks at
# source: submit time (placement decides whether a node can run them)
job "extras" {
  ui {
    description = "A Connect service with storage"

    link {
      label = "Docs"
      url   = "https://example.com/docs"
    }
  }

  group "db" {
    network {
      mode = "bridge"
    }

    volume "data" {
      type      = "host"
      source    = "db-data"
      read_only = false
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

      identity {
        env  = true
        file = true
      }
    }
  }
}
