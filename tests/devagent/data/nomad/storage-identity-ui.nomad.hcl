# Blocks devagent runs no differently but must accept as Nomad does: volumes, identities,
# ui, consul, scaling, disconnect, lifecycle, artifacts, templates, devices and numa.
job "storage" {
  node_pool = "default"

  ui {
    description = "A **stateful** service"
    link {
      label = "Runbook"
      url   = "https://example.com/runbook"
    }
  }

  group "db" {
    count = 2

    consul {
      namespace = "data"
    }

    scaling {
      enabled = true
      min     = 1
      max     = 5
      policy {
        cooldown = "1m"
        check "cpu" {
          source = "nomad-apm"
          query  = "avg_cpu"
        }
      }
    }

    disconnect {
      lost_after = "1h"
      replace    = false
      reconcile  = "keep_original"
    }

    max_client_disconnect = "2h"

    volume "data" {
      type            = "csi"
      source          = "db-data"
      read_only       = false
      access_mode     = "single-node-writer"
      attachment_mode = "file-system"
      per_alloc       = true

      mount_options {
        fs_type     = "ext4"
        mount_flags = ["noatime"]
      }
    }

    task "init" {
      driver = "exec"

      lifecycle {
        hook    = "prestart"
        sidecar = false
      }

      config {
        command = "/bin/init-db"
      }
    }

    task "db" {
      driver       = "docker"
      kill_signal  = "SIGINT"
      kill_timeout = "30s"
      leader       = true

      identity {
        env  = true
        file = true
      }

      identity {
        name = "vault_default"
        aud  = ["vault.io"]
        ttl  = "1h"
      }

      volume_mount {
        volume      = "data"
        destination = "/var/lib/db"
      }

      artifact {
        source      = "https://example.com/db.tar.gz"
        destination = "local/db"
        mode        = "any"
        options {
          checksum = "sha256:0123"
        }
        headers {
          User-Agent = "nomad"
        }
      }

      artifact {
        source = "https://example.com/config/db.conf"
        mode   = "file"
      }

      template {
        destination   = "secrets/db.env"
        env           = true
        change_mode   = "signal"
        change_signal = "sigusr1"
        data          = "PASSWORD={{ with secret \"kv/db\" }}{{ .Data.password }}{{ end }}"

        wait {
          min = "5s"
          max = "1m"
        }
      }

      config {
        image = "postgres:16"
      }

      resources {
        cpu    = 1000
        memory = 1024

        device "nvidia/gpu" {
          count = 1
          constraint {
            attribute = "${device.attr.memory}"
            operator  = ">="
            value     = "2 GiB"
          }
          affinity {
            attribute = "${device.model}"
            value     = "Tesla"
          }
        }

        numa {
          affinity = "prefer"
        }
      }

      scaling "cpu" {
        max = 2000
      }
    }
  }
}
