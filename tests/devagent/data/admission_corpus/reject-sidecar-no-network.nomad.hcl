# verdict: reject
# stage: validate
# error: Consul Connect sidecars require exactly 1 network, found 0 in group "api"
# source: nomad/job_endpoint_hook_connect.go Mutate skips groups without networks; groupConnectSidecarValidate then refuses
job "no-network" {
  group "api" {
    # no network block

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
        image = "example/no-network:1"
      }
    }
  }
}
