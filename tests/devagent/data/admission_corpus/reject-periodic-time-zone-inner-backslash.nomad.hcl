# verdict: reject
# stage: validate
# error: Invalid time zone "America\\New_York": unknown time zone America\New_York
# source: Go time.LoadLocation refuses only a leading backslash as an invalid name; the lookup then fails
# time.LoadLocation only rejects a *leading* backslash ("time: invalid location name"); elsewhere the
# name is looked up and fails as "unknown time zone ...".
job "m10" {
  type        = "batch"
  datacenters = ["dc1"]

  periodic {
    crons     = ["@daily"]
    time_zone = "America\\New_York"
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
