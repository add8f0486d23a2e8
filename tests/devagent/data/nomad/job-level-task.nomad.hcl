# A task directly under the job: jobspec2 wraps it in a group of its own name, ahead of the
# job's groups; a job-level vault block is every task's vault unless the task has one.
job "tools" {
  type = "batch"

  vault {
    policies = ["tools"]
  }

  task "migrate" {
    driver = "exec"

    config {
      command = "/bin/migrate"
    }
  }

  group "report" {
    task "report" {
      driver = "exec"

      vault {
        policies    = ["report"]
        change_mode = "noop"
      }

      config {
        command = "/bin/report"
      }
    }
  }
}
