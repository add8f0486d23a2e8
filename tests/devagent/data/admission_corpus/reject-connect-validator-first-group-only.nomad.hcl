# verdict: reject
# stage: validate
# error: 1 error occurred:
# error: Consul Connect group "Alpha" with service "alpha" must not contain uppercase characters
# absent: "Beta"
# source: nomad/job_endpoint_hook_connect.go jobConnectHook.Validate returns the first group's error and stops
job "two-bad-groups" {
  group "Alpha" {
    network {
      mode = "bridge"
    }

    service {
      name = "alpha"
      port = "9001"

      connect {
        sidecar_service {}
      }
    }

    task "alpha" {
      driver = "docker"

      config {
        image = "example/alpha:1"
      }
    }
  }

  group "Beta" {
    network {
      mode = "bridge"
    }

    service {
      name = "beta"
      port = "9001"

      connect {
        sidecar_service {}
      }
    }

    task "beta" {
      driver = "docker"

      config {
        image = "example/beta:1"
      }
    }
  }
}
