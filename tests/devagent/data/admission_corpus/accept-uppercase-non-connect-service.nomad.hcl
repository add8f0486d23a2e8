# verdict: accept
# source: nomad/structs/services.go ValidateName (RFC 1123, case-insensitive); the lower-case rule applies to Connect sidecars only
job "Inventory" {
  group "Store" {
    network {
      mode = "bridge"

      port "http" {
        to = 8080
      }
    }

    service {
      name = "Inventory-API"
      port = "http"
    }

    task "store" {
      driver = "docker"

      config {
        image = "example/store:1"
      }
    }
  }
}
