# verdict: reject
# stage: validate
# error: Invalid cron spec "foo,*/99 * * * *": invalid interval */99
# absent: *,bogus
# absent: syntax error
# source: hashicorp/cronexpr v1.1.2 genericFieldParse (interval errors before syntax errors) and genericFieldHandler (a * ends the field)
# hashicorp/cronexpr v1.1.2: a leading "*" entry ends a generic field (anything after it is ignored),
# and genericFieldParse reports a bad interval before the handler reports a syntax error.
job "m03" {
  type        = "batch"
  datacenters = ["dc1"]

  periodic {
    crons = ["*,bogus * * * *", "foo,*/99 * * * *"]
  }

  group "g" {
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/true"
      }
    }
  }
}
