# verdict: accept
# source: nomad/job_endpoint_hook_connect.go groupConnectNativeValidate ("network mode is not enforced for connect native
# source: services"); the named task exists among several
job "native-bridge" {
  group "pair" {
    network {
      mode = "bridge"
    }

    service {
      name = "native-api"
      port = "9001"
      task = "api"

      connect {
        native = true
      }
    }

    task "api" {
      driver = "docker"

      config {
        image = "example/native:1"
      }
    }

    task "log-shipper" {
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
