# verdict: accept
# source: docs/job-specification/hcl2/functions (format, lower, join, concat) and conditionals in a Connect job
variable "env" {
  default = "PROD"
}

locals {
  suffix = lower(var.env)
  tags   = concat(["connect"], var.env == "PROD" ? ["live"] : [])
}

job "hcl2-funcs" {
  group "api" {
    network {
      mode = "bridge"
    }

    service {
      name = format("api-%s", local.suffix)
      port = "9001"
      tags = local.tags

      connect {
        sidecar_service {
          proxy {
            upstreams {
              destination_name = join("-", ["db", local.suffix])
              local_bind_port  = var.env == "PROD" ? 5432 : 15432
            }
          }
        }
      }
    }

    task "api" {
      driver = "docker"

      config {
        image = "example/api:${local.suffix}"
      }
    }
  }
}
