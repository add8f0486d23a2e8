# Batch features: periodic, parameterized, dispatch_payload, multiregion and reschedule.
job "nightly" {
  type = "batch"

  periodic {
    crons            = ["0 2 * * *", "0 14 * * *"]
    prohibit_overlap = true
    time_zone        = "Europe/Berlin"
  }

  parameterized {
    payload       = "optional"
    meta_required = ["dataset"]
    meta_optional = ["notify"]
  }

  multiregion {
    strategy {
      max_parallel = 1
      on_failure   = "fail_all"
    }
    region "west" {
      count       = 2
      datacenters = ["west-1"]
      meta {
        tier = "primary"
      }
    }
    region "east" {}
  }

  reschedule {
    attempts  = 3
    interval  = "1h"
    unlimited = false
  }

  group "run" {
    task "run" {
      driver = "exec"

      dispatch_payload {
        file = "input.json"
      }

      config {
        command = "/bin/nightly"
      }
    }
  }
}
