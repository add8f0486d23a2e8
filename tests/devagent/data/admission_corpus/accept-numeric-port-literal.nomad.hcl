# verdict: accept
# source: jobspec2 (gohcl converts the number 9001 to the string port); docs/job-specification/service.mdx port
job "numeric-literal" {
  group "api" {
    network {
      mode = "bridge"
    }

    service {
      name = "api"
      port = 9001

      connect {
        sidecar_service {}
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/numeric-literal:1"
      }
    }
  }
}
