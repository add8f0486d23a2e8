# verdict: reject
# stage: validate
# error: non-default Consul cluster requires Nomad Enterprise
# source: nomad/job_endpoint_hook_consul_ce.go jobConsulHook.Validate -> validateCluster (Nomad CE knows only "default")
job "west" {
  group "api" {
    network {
      mode = "bridge"
    }

    service {
      name = "api"
      port = "9001"
      cluster = "west"

      connect {
        sidecar_service {}
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/west:1"
      }
    }
  }
}
