# verdict: accept
# source: docs/job-specification/hcl2/expressions.mdx for expressions (lists and maps) in service tags and group meta
# source: (jobspec2/hcl_conversions.go decodeAsAttribute: group meta may be an attribute)
locals {
  versions = ["v1", "v2"]
}

job "hcl2-for" {
  group "api" {
    meta = { for v in local.versions : v => upper(v) }

    network {
      mode = "bridge"
    }

    service {
      name = "api"
      port = "9001"
      tags = [for v in local.versions : "version-${v}"]

      connect {
        sidecar_service {}
      }
    }

    task "api" {
      driver = "docker"

      config {
        image = "example/api:1"
        args  = [for i in range(2) : "--worker=${i}"]
      }
    }
  }
}
