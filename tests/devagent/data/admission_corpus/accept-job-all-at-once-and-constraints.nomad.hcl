# verdict: accept
# source: docs/job-specification/{job,constraint}.mdx (all_at_once, distinct_hosts, distinct_property, regexp, version)
job "placements" {
  all_at_once = true

  constraint {
    distinct_hosts = true
  }

  constraint {
    operator  = "distinct_property"
    attribute = "${meta.rack}"
    value     = "2"
  }

  group "api" {
    constraint {
      attribute = "${attr.os.name}"
      operator  = "regexp"
      value     = "^(ubuntu|debian)$"
    }

    constraint {
      attribute = "${attr.consul.version}"
      version   = ">= 1.8.0"
    }

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
