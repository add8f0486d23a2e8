# verdict: reject
# stage: mutator
# error: error in job mutator connect: task generator named by Consul Connect Native service generator->uuid-api does not exist
# source: nomad/job_endpoint_hook_connect.go getNamedTaskForNativeService
# local: accept
job "native-missing" {
  group "generator" {
    network {
      port "api" {}
    }

    service {
      name = "uuid-api"
      port = "api"
      task = "generator"

      connect {
        native = true
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/native-missing:1"
      }
    }
  }
}
