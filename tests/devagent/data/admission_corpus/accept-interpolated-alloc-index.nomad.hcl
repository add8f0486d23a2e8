# verdict: accept
# source: client/taskenv NewEmptyBuilder().UpdateTask: the placeholder allocation's index is 0 and buildEnv writes it, so
# source: ${NOMAD_ALLOC_INDEX} becomes "0" before groupConnectSidecarValidate's lower-case check
job "alloc-index" {
  group "api" {
    network {
      mode = "bridge"
    }

    service {
      name = "api-${NOMAD_ALLOC_INDEX}"
      port = "9001"

      connect {
        sidecar_service {}
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/alloc-index:1"
      }
    }
  }
}
