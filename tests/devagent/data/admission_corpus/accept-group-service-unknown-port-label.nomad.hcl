# verdict: accept
# source: nomad/structs/structs.go TaskGroup.validateServices (group services' port labels are not checked against the
# source: network at submit time; only task services are, in validateServices(t, networks))
job "unknown-label" {
  group "web" {
    network {
      mode = "bridge"
    }

    service {
      name = "web"
      port = "metrics"

      connect {
        sidecar_service {}
      }
    }

    task "web" {
      driver = "docker"

      config {
        image = "example/web:1"
      }
    }
  }
}
