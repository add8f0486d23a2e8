# verdict: accept
# source: client/taskenv setAlloc (job and group meta are in the submit-time environment as NOMAD_META_<key> and
# source: NOMAD_META_<KEY>); nomad/job_endpoint_hook_connect.go groupConnectHook
job "meta-name" {
  meta {
    team = "payments"
  }

  group "api" {
    network {
      mode = "bridge"
    }

    service {
      name = "${NOMAD_META_TEAM}-api"
      port = "9001"

      connect {
        sidecar_service {}
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/x:1"
      }
    }
  }
}
