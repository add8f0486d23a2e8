# verdict: reject
# stage: validate
# error: non-default Consul cluster requires Nomad Enterprise
# source: nomad/job_endpoint_hook_consul_ce.go jobConsulHook.Validate (group consul block cluster)
job "group-west" {
  group "api" {
    consul {
      cluster = "west"
    }

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

    task "app" {
      driver = "docker"

      config {
        image = "example/group-west:1"
      }
    }
  }
}
