# verdict: reject
# stage: validate
# error: must be no longer than 63 characters: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
# source: nomad/structs/services.go ValidateName (at most 63 characters)
job "long-name" {
  group "api" {
    network {
      mode = "bridge"
    }

    service {
      name = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
      port = "9001"

      connect {
        sidecar_service {}
      }

    }

    task "app" {
      driver = "docker"

      config {
        image = "example/long-name:1"
      }
    }
  }
}
