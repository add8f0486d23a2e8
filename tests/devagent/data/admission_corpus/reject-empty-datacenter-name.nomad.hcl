# verdict: reject
# stage: validate
# error: Job datacenter must be non-empty string
# source: nomad/structs/structs.go Job.Validate
job "blank-dc" {
  datacenters = [""]

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

    task "app" {
      driver = "docker"

      config {
        image = "example/x:1"
      }
    }
  }
}
