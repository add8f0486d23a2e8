# verdict: reject
# stage: validate
# error: job "gpu-job" is in nonexistent node pool "gpu"
# source: nomad/job_endpoint_hook_node_pool.go jobNodePoolValidatingHook.Validate (only "default" and "all" exist)
job "gpu-job" {
  node_pool = "gpu"

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
        image = "example/gpu-job:1"
      }
    }
  }
}
