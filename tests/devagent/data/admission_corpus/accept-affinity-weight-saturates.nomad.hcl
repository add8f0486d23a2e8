# verdict: accept
# source: jobspec2/hcl_conversions.go decodeAffinity: big.Float.Int64 saturates 1e30 to MaxInt64, and int8(MaxInt64) is -1
# jobspec2 decodeAffinity: weight.AsBigFloat().Int64() saturates at MaxInt64, then int8(...) = -1.
job "m04" {
  datacenters = ["dc1"]

  affinity {
    attribute = "${node.datacenter}"
    value     = "dc1"
    weight    = 1e30
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
