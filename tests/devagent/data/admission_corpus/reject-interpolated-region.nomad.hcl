# verdict: reject
# stage: validate
# error: Consul Connect service name "${NOMAD_REGION}-api" in group "api" must not contain uppercase characters
# source: client/taskenv NewEmptyBuilder (no node, so no region): ${NOMAD_REGION} is kept by helper/args.ReplaceEnv and
# source: fails nomad/job_endpoint_hook_connect.go groupConnectSidecarValidate
job "region-name" {
  group "api" {
    network {
      mode = "bridge"
    }

    service {
      name = "${NOMAD_REGION}-api"
      port = "9001"

      connect {
        sidecar_service {}
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/region-name:1"
      }
    }
  }
}
