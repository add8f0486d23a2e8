# verdict: accept
# source: jobspec2 variables/locals (docs/job-specification/hcl2/variables.mdx, locals.mdx) feeding a Connect service
variable "service_name" {
  type    = string
  default = "billing"
}

variable "upstream_port" {
  type    = number
  default = 8181
}

locals {
  app_port   = 9000 + 1
}

job "hcl2-vars" {
  group "billing" {
    network {
      mode = "bridge"
    }

    service {
      name = var.service_name
      port = "${local.app_port}"

      connect {
        sidecar_service {
          proxy {
            upstreams {
              destination_name = "ledger"
              local_bind_port  = var.upstream_port
            }
          }
        }
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/${var.service_name}:1"
      }
    }
  }
}
