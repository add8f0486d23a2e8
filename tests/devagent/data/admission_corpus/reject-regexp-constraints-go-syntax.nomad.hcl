# verdict: reject
# stage: validate
# error: 9 errors occurred:
# error: Regular expression failed to compile: error parsing regexp: invalid repeat count: `{2,1}`
# error: Regular expression failed to compile: error parsing regexp: invalid character class range: `[:foo:]`
# error: Regular expression failed to compile: error parsing regexp: invalid nested repetition operator: `{2}{3}`
# error: Regular expression failed to compile: error parsing regexp: trailing backslash at end of expression: ``
# error: Regular expression failed to compile: error parsing regexp: invalid repeat count: `{3}`
# absent: Constraint 1 validation failed
# absent: Constraint 3 validation failed
# absent: Constraint 14 validation failed
# source: Go regexp/syntax Parse (Perl flags) as structs Constraint.Validate calls regexp.Compile
# Constraint regexp RTargets: Go's regexp/syntax (RE2) verdicts differ from devagent's Python-re emulation.
job "m01" {
  datacenters = ["dc1"]

  constraint {
    attribute = "${attr.unique.hostname}"
    regexp    = "^*"
  }

  constraint {
    attribute = "${attr.unique.hostname}"
    regexp    = "a{2,1}"
  }

  constraint {
    attribute = "${attr.unique.hostname}"
    regexp    = "(?-i)abc"
  }

  constraint {
    attribute = "${attr.unique.hostname}"
    regexp    = "[[:foo:]]"
  }

  constraint {
    attribute = "${attr.unique.hostname}"
    regexp    = "\\p{Foo}"
  }

  constraint {
    attribute = "${attr.unique.hostname}"
    regexp    = "[\\d-z]"
  }

  constraint {
    attribute = "${attr.unique.hostname}"
    regexp    = "(?P<1a>x)"
  }

  constraint {
    attribute = "${attr.unique.hostname}"
    regexp    = "a{2}{3}"
  }

  constraint {
    attribute = "${attr.unique.hostname}"
    regexp    = "\\18"
  }

  constraint {
    attribute = "${attr.unique.hostname}"
    regexp    = "a\\"
  }

  constraint {
    attribute = "${attr.unique.hostname}"
    regexp    = "(?z)"
  }

  constraint {
    attribute = "${attr.unique.hostname}"
    regexp    = "[\\b]"
  }

  constraint {
    attribute = "${attr.unique.hostname}"
    regexp    = "(a{500}){3}"
  }

  constraint {
    attribute = "${attr.unique.hostname}"
    regexp    = "(?P<n>a)(?P<n>b)"
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
