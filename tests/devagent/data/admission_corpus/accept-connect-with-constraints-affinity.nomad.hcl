# verdict: accept
# source: docs/job-specification/{constraint,affinity,spread}.mdx on a Connect job (implied constraints are added by the
# source: connect mutator's sidecar task)
job "placed" {
  constraint {
    attribute = "${attr.kernel.name}"
    value     = "linux"
  }

  affinity {
    attribute = "${node.datacenter}"
    value     = "dc1"
    weight    = 50
  }

  spread {
    attribute = "${node.datacenter}"
  }

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
      }
    }
  }
}
