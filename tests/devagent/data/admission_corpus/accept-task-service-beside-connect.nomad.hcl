# verdict: accept
# source: e2e/consul/input/checks_task.nomad (task-level services with a port label from the group network) next to a Connect group service
job "task-and-group-services" {
  group "api" {
    network {
      mode = "bridge"

      port "metrics" {
        to = 9102
      }
    }

    service {
      name = "api"
      port = "9001"

      connect {
        sidecar_service {}
      }
    }

    task "api" {
      driver = "docker"

      config {
        image = "example/api:1"
      }

      service {
        name = "api-metrics"
        port = "metrics"

        check {
          type     = "http"
          path     = "/metrics"
          interval = "15s"
          timeout  = "2s"
        }
      }
    }
  }
}
