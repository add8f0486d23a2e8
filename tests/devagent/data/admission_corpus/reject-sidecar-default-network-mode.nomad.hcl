# verdict: reject
# stage: validate
# error: Consul Connect sidecar requires bridge network, found "" in group "api"
# source: nomad/job_endpoint_hook_connect.go groupConnectSidecarValidate (a network block without mode keeps Mode "":
# source: neither api nor structs NetworkResource.Canonicalize fills it)
job "default-mode" {
  group "api" {
    network {
      port "http" {}
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
        image = "example/default-mode:1"
      }
    }
  }
}
