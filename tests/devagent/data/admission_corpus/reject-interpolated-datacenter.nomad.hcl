# verdict: reject
# stage: validate
# error: Consul Connect service name "api-${NOMAD_DC}" in group "api" must not contain uppercase characters
# source: client/taskenv NewEmptyBuilder (no node, so no datacenter): ${NOMAD_DC} stays and fails the lower-case rule
job "dc-name" {
  group "api" {
    network {
      mode = "bridge"
    }

    service {
      name = "api-${NOMAD_DC}"
      port = "9001"

      connect {
        sidecar_service {}
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/dc-name:1"
      }
    }
  }
}
