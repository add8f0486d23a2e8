# verdict: reject
# stage: validate
# error: Task group api validation failed: 
# error: Task group network validation failed: 
# error: Port label connect-proxy-api already in use by taskgroup network
# source: nomad/job_endpoint_hook_connect.go injectPort looks only at dynamic ports, so a static port with the proxy's
# source: label gets a dynamic twin; structs.go TaskGroup.validateNetworks then sees the label twice
job "proxy-port" {
  group "api" {
    network {
      mode = "bridge"

      port "connect-proxy-api" {
        static = 21000
        to     = -1
      }
    }

    service {
      name = "api"
      port = "9001"

      connect {
        sidecar_service {}
      }
    }

    task "api" {
      driver = "docker"

      config {
        image = "example/api:1"
      }
    }
  }
}
