# verdict: accept
# source: docs/job-specification/hcl2/expressions.mdx string templates with %{ if } and %{ for } directives and heredocs
variable "debug" {
  type    = bool
  default = true
}

locals {
  upstreams = ["tax", "invoice"]
}

job "directives" {
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

    task "api" {
      driver = "docker"

      config {
        image = "example/api:1"
        args  = ["--log=%{ if var.debug }debug%{ else }info%{ endif }"]
      }

      template {
        destination = "local/upstreams.txt"
        data        = <<-EOT
          %{ for name in local.upstreams ~}
          ${name}
          %{ endfor ~}
        EOT
      }
    }
  }
}
