# verdict: reject
# stage: validate
# error: Task group network validation failed:
# error: Static port 8080 already reserved by taskgroup network:http
# source: nomad/structs/structs.go TaskGroup.validateNetworks
job "dup-static" {
  group "web" {
    network {
      mode = "bridge"

      port "http" {
        static = 8080
      }

      port "admin" {
        static = 8080
      }
    }

    service {
      name = "web"
      port = "http"

      connect {
        sidecar_service {}
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/dup-static:1"
      }
    }
  }
}
