# HCL2 as jobspec2 evaluates it: variables with defaults and types, locals, for expressions,
# dynamic blocks (with iterator and labels), functions, conditionals, template directives,
# and runtime interpolations kept for the client.
variable "datacenters" {
  type    = list(string)
  default = ["dc1", "dc2"]
}

variable "upstreams" {
  description = "upstream name => local port"
  type        = map(number)
  default = {
    tax   = 9191
    audit = 9292
  }
}

variable "replicas" {
  default = 2
}

variables {
  image_tag = "1.4.2"
}

locals {
  name     = "billing-${var.image_tag}"
  ports    = [for name, port in var.upstreams : port]
  env_vars = { for k, v in var.upstreams : "UPSTREAM_${upper(k)}" => "127.0.0.1:${v}" }
}

job "billing" {
  datacenters = [for dc in var.datacenters : upper(dc)]
  priority    = var.replicas > 1 ? 60 : 40

  meta = {
    "app.version" = var.image_tag
    ports         = join(",", local.ports)
  }

  group "billing" {
    count = var.replicas * 2

    network {
      mode = "bridge"

      dynamic "port" {
        for_each = ["http", "admin"]
        iterator = p
        labels   = [p.value]

        content {
          to = 8000 + p.key
        }
      }
    }

    service {
      name = local.name
      port = "8000"

      connect {
        sidecar_service {
          proxy {
            dynamic "upstreams" {
              for_each = var.upstreams

              content {
                destination_name = upstreams.key
                local_bind_port  = upstreams.value
              }
            }
          }
        }
      }
    }

    task "billing" {
      driver = "docker"

      config {
        image = "example/billing:${var.image_tag}"
        args  = concat(["--listen", "0.0.0.0:${NOMAD_PORT_http}"], [for u in keys(var.upstreams) : "--upstream=${u}"])
      }

      env = merge(local.env_vars, {
        NODE = "${node.unique.name}"
        HOME = "${env["HOME"]}"
      })

      template {
        destination = "local/upstreams.txt"
        data        = <<-EOT
          %{ for name, port in var.upstreams ~}
          ${name}=${port}
          %{ endfor ~}
          alloc=${NOMAD_ALLOC_ID}
          EOT
      }

      resources {
        cpu    = max(100, 50 * var.replicas)
        memory = floor(256 / 3)
      }
    }
  }
}
