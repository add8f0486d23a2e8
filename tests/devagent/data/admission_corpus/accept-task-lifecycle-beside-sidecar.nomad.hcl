# verdict: accept
# source: docs/job-specification/lifecycle.mdx (a prestart init task and a poststart sidecar next to the injected proxy)
job "lifecycle" {
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

    task "init" {
      driver = "docker"

      lifecycle {
        hook = "prestart"
      }

      config {
        image = "example/init:1"
      }
    }

    task "api" {
      driver = "docker"

      config {
        image = "example/api:1"
      }
    }

    task "shipper" {
      driver = "docker"

      lifecycle {
        hook    = "poststart"
        sidecar = true
      }

      config {
        image = "example/shipper:1"
      }
    }
  }
}
