# verdict: accept
# source: jobspec2 parse (a task directly in the job becomes a group of the same name); command/agent ApiJobToStructJob
job "job-level-task" {
  datacenters = ["dc1"]

  task "solo" {
    driver = "raw_exec"

    config {
      command = "/bin/sleep"
      args    = ["3600"]
    }
  }
}
