# verdict: reject
# stage: validate
# error: task for Consul Connect Native service generator->uuid-api is ambiguous and must be set
# error: Service uuid-api is Connect Native and requires setting the task
# source: nomad/job_endpoint_hook_connect.go (Mutate skips a group without networks; groupConnectNativeValidate refuses);
# source: nomad/structs/services.go validateConsulService (native needs its task)
job "native-nonet" {
  group "generator" {
    # no network

    service {
      name = "uuid-api"
      port = "8080"

      connect {
        native = true
      }
    }

    task "generate" {
      driver = "docker"

      config {
        image = "hashicorpdev/uuid-api:v5"
      }
    }

    task "sidekick" {
      driver = "docker"

      config {
        image = "example/sidekick:1"
      }
    }
  }
}
