# verdict: accept
# source: nomad/structs/structs.go Job.Validate (system jobs may have update blocks and Connect services)
job "system-connect" {
  type = "system"

  group "agent" {
    update {
      max_parallel = 2
    }

    network {
      mode = "bridge"
    }

    service {
      name = "node-agent"
      port = "9001"

      connect {
        sidecar_service {}
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/x:1"
      }
    }
  }
}
