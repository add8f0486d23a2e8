# verdict: accept
# source: client/taskenv (no node at submit time: ${node.unique.name} stays as text); its lower-case letters pass
# source: groupConnectSidecarValidate and services.go Validate strips ${...} before the RFC 1123 check
job "node-name" {
  group "api" {
    network {
      mode = "bridge"
    }

    service {
      name = "api-${node.unique.name}"
      port = "9001"

      connect {
        sidecar_service {}
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/node-name:1"
      }
    }
  }
}
