# verdict: reject
# stage: validate
# error: Consul Connect service name "${NOMAD_NAMESPACE}-api" in group "api" must not contain uppercase characters
# source: client/taskenv NewEmptyBuilder().UpdateTask(alloc without a namespace): ${NOMAD_NAMESPACE} is not known at submit
# source: time, helper/args.ReplaceEnv keeps it, and its upper-case letters fail groupConnectSidecarValidate
job "ns-name" {
  group "api" {
    network {
      mode = "bridge"
    }

    service {
      name = "${NOMAD_NAMESPACE}-api"
      port = "9001"

      connect {
        sidecar_service {}
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/ns-name:1"
      }
    }
  }
}
