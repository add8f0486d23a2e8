# verdict: reject
# stage: validate
# error: Vault "default" not enabled but used in the job
# source: nomad/job_endpoint_hook_vault.go jobVaultHook.Validate (a server without a vault block, as `nomad agent -dev`)
job "vault-user" {
  group "api" {
    network {
      mode = "bridge"
    }

    service {
      name = "api"
      port = "9001"

      connect {
        sidecar_service {}
      }
    }

    task "api" {
      driver = "docker"

      config {
        image = "example/api:1"
      }

      vault {
        policies = ["api"]
      }
    }
  }
}
