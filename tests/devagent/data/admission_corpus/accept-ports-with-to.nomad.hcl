# verdict: accept
# source: docs/job-specification/network.mdx (bridge mode port mapping with to, static and dynamic); Connect service on a label
job "ports-to" {
  group "web" {
    network {
      mode = "bridge"

      port "http" {
        static = 8080
        to     = 80
      }

      port "admin" {
        to = 9000
      }

      port "debug" {}
    }

    service {
      name = "web"
      port = "http"

      connect {
        sidecar_service {}
      }

      check {
        type     = "http"
        port     = "admin"
        path     = "/status"
        interval = "10s"
        timeout  = "1s"
      }
    }

    task "web" {
      driver = "docker"

      config {
        image = "nginx:1.25"
        ports = ["http", "admin", "debug"]
      }
    }
  }
}
