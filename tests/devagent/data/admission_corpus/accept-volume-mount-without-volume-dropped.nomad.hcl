# verdict: accept
# source: command/agent/job_endpoint.go apiVolumeMountsToStructs copies only mounts whose Volume is set
# ApiJobToStructJob (apiVolumeMountsToStructs) drops a volume_mount whose volume is unset.
job "m05" {
  datacenters = ["dc1"]

  group "g" {
    volume "data" {
      type   = "host"
      source = "data"
    }

    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/true"
      }

      volume_mount {
        destination = "/data"
      }
    }
  }
}
