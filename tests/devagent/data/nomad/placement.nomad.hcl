# Constraint, affinity and spread forms, as jobspec2's constraint and affinity decoders read them.
job "placement" {
  constraint {
    distinct_hosts = false
  }

  constraint {
    distinct_property = "${meta.rack}"
    value             = "2"
  }

  affinity {
    attribute = "${node.datacenter}"
    value     = "dc1"
    weight    = 80
  }

  spread {
    attribute = "${node.datacenter}"
    weight    = 100

    target "dc1" {
      percent = 70
    }
    target "dc2" {
      percent = 30
    }
  }

  group "web" {
    constraint {
      operator = "distinct_hosts"
      value    = "true"
    }

    constraint {
      attribute = "${attr.kernel.name}"
      regexp    = "linux|darwin"
    }

    constraint {
      attribute    = "${meta.tags}"
      set_contains = "ssd"
    }

    constraint {
      attribute = "${attr.vault.version}"
      operator  = "is_set"
    }

    affinity {
      attribute        = "${meta.tags}"
      set_contains_any = "fast,cheap"
    }

    task "web" {
      driver = "exec"

      constraint {
        attribute = "${attr.nomad.version}"
        semver    = ">= 1.8.0"
      }

      config {
        command = "/bin/web"
      }
    }
  }
}
