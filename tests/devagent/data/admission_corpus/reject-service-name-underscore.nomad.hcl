# verdict: reject
# stage: validate
# error: Service[0] api_v2 validation failed:
# error: Service name must be valid per RFC 1123 and can contain only alphanumeric characters or dashes and must be no longer than 63 characters: "api_v2"
# exact: 1 error occurred:\n\t* Task group api validation failed: 1 error occurred:\n\t* Task group service validation failed: 1 error occurred:\n\t* Service[0] api_v2 validation failed: 1 error occurred:\n\t* Service name must be valid per RFC 1123 and can contain only alphanumeric characters or dashes and must be no longer than 63 characters: "api_v2"\n\n\n\n\n\n\n\n
# source: nomad/structs/services.go Service.Validate / ValidateName (RFC 1123)
job "underscore" {
  group "api" {
    network {
      mode = "bridge"
    }

    service {
      name = "api_v2"
      port = "9001"

      connect {
        sidecar_service {}
      }

    }

    task "app" {
      driver = "docker"

      config {
        image = "example/underscore:1"
      }
    }
  }
}
