# verdict: accept
# source: nomad/job_endpoint_hook_connect.go getNamedTaskForNativeService (one task: the mutator fills service.task);
# source: docs/job-specification/connect.mdx native example
job "native-inferred" {
  group "frontend" {
    network {
      port "http" {
        static = 9800
      }
    }

    service {
      name = "uuid-fe"
      port = "9800"

      connect {
        native = true
      }
    }

    task "frontend" {
      driver = "docker"

      config {
        image        = "hashicorpdev/uuid-fe:v5"
        network_mode = "host"
      }
    }
  }
}
