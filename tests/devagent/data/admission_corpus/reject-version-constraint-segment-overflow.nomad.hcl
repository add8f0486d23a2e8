# verdict: reject
# stage: validate
# error: Version constraint is invalid: Error parsing version: strconv.ParseInt: parsing "99999999999999999999": value out of range
# error: Semver constraint is invalid: Error parsing version: strconv.ParseInt: parsing "99999999999999999999": value out of range
# source: hashicorp/go-version v1.6.0 newVersion (strconv.ParseInt of each segment), reached from structs Constraint.Validate
# go-version NewVersion parses each segment with strconv.ParseInt(..., 64): an oversize segment fails.
job "m02" {
  datacenters = ["dc1"]

  constraint {
    attribute = "${attr.kernel.version}"
    version   = ">= 99999999999999999999.0"
  }

  constraint {
    attribute = "${attr.nomad.version}"
    semver    = ">= 1.0.99999999999999999999"
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
