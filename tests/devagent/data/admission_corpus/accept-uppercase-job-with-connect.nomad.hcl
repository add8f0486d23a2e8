# verdict: accept
# source: nomad/job_endpoint_hook_connect.go groupConnectSidecarValidate (only the service and group names must be lower case)
job "Payments" {
  group "ledger" {
    network {
      mode = "bridge"
    }

    service {
      name = "ledger"
      port = "9001"

      connect {
        sidecar_service {}
      }
    }

    task "Ledger" {
      driver = "docker"

      config {
        image = "example/ledger:1"
      }
    }
  }
}
