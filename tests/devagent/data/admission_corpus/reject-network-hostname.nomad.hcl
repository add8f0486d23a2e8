# verdict: reject
# stage: validate
# error: Hostname is not a valid DNS name
# source: nomad/structs/structs.go TaskGroup.validateNetworks (dns.IsDomainName)
job "bad-hostname" {
  group "web" {
    network {
      mode     = "bridge"
      hostname = "web..internal"
    }

    service {
      name = "web"
      port = "9001"

      connect {
        sidecar_service {}
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/bad-hostname:1"
      }
    }
  }
}
