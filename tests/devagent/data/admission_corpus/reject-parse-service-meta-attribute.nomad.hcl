# verdict: reject
# stage: parse
# error: Unsupported argument; An argument named "meta" is not expected here. Did you mean to define a block of type "meta"?
# source: jobspec2/hcl_conversions.go decodeAsAttribute applies to job, group and task meta only; a service's meta is a
# source: block (api.Service `hcl:"meta,block"`), so gohcl refuses the attribute form
job "service-meta" {
  group "api" {
    network {
      mode = "bridge"
    }

    service {
      name = "api"
      port = "9001"
      meta = { version = "v1" }

      connect {
        sidecar_service {}
      }
    }

    task "api" {
      driver = "docker"

      config {
        image = "example/api:1"
      }
    }
  }
}
