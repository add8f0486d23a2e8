# verdict: reject
# stage: validate
# error: Vault "default" not enabled but used in the job
# absent: Unsupported argument
# source: jobspec2/hcl_conversions.go decodeTaskGroup assigns (not appends) the diagnostics after decoding the group vault block, so its errors are dropped
# jobspec2 decodeTaskGroup: `diags = d.DecodeBody(tgBody, ctx, tg)` overwrites the diagnostics of the
# group-level vault block, so its decode errors are dropped.
job "m08" {
  datacenters = ["dc1"]

  group "g" {
    vault {
      bogus = 1
    }

    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/true"
      }
    }
  }
}
