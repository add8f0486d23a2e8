# verdict: reject
# stage: validate
# error: Multiple service providers used: task group services must use the same provider
# error: check "service: \"api-metrics\" check" cannot use a numeric port 9102 without setting address_mode="driver"
# error: port label "9102" referenced by services api-metrics does not exist
# source: nomad/structs/structs.go TaskGroup.validateServices (one provider per group) and validateServices(task) (a task
# source: service's numeric port is a label unless address_mode is driver; check names are %q-quoted)
job "providers" {
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

    service {
      name     = "api-nomad"
      port     = "9002"
      provider = "nomad"
    }

    task "api" {
      driver = "docker"

      config {
        image = "example/api:1"
      }

      service {
        name = "api-metrics"
        port = "9102"

        check {
          type     = "tcp"
          interval = "10s"
          timeout  = "2s"
        }
      }
    }
  }
}
