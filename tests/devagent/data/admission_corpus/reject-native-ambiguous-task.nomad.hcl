# verdict: reject
# stage: mutator
# error: error in job mutator connect: task for Consul Connect Native service generator->uuid-api is ambiguous and must be set
# source: nomad/job_endpoint_hook_connect.go getNamedTaskForNativeService, reached from the connect mutator
# local: Service uuid-api is Connect Native and requires setting the task
job "native-ambiguous" {
  group "generator" {
    network {
      port "api" {}
    }

    service {
      name = "uuid-api"
      port = "api"

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
