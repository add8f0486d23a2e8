# verdict: accept
# warning: auto_promote must be true for all groups to enable automatic promotion
# source: nomad/structs/structs.go Job.Warnings (auto_promote must be on for every canary group to promote automatically;
# source: a warning, not an error)
job "mixed-promote" {
  group "a" {
    update {
      canary       = 1
      auto_promote = true
    }

    network {
      mode = "bridge"
    }

    service {
      name = "svc-a"
      port = "9001"

      connect {
        sidecar_service {}
      }
    }

    task "a" {
      driver = "docker"

      config {
        image = "example/a:1"
      }
    }
  }

  group "b" {
    update {
      canary = 1
    }

    network {
      mode = "bridge"
    }

    service {
      name = "svc-b"
      port = "9001"

      connect {
        sidecar_service {}
      }
    }

    task "b" {
      driver = "docker"

      config {
        image = "example/b:1"
      }
    }
  }
}
