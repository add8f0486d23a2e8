# verdict: accept
# source: nomad/job_endpoint_validators.go and job_endpoint_hook_node_pool.go (the built-in namespace and pool)
job "explicit" {
  namespace = "default"
  node_pool = "default"
  region    = "global"
  priority  = 100

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

    task "app" {
      driver = "docker"

      config {
        image = "example/explicit:1"
      }
    }
  }
}
