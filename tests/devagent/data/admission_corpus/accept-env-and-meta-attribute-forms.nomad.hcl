# verdict: accept
# source: jobspec2/hcl_conversions.go decodeAsAttribute (env and meta of tasks, and meta of groups and jobs, may be maps)
job "attr-forms" {
  meta = {
    "owner.team" = "payments"
  }

  group "api" {
    meta = {
      tier = "backend"
    }

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

      env = {
        LOG_LEVEL = "debug"
        "DB.URL"  = "postgres://localhost:5432"
      }

      meta = {
        build = "42"
      }

      config {
        image = "example/api:1"
      }
    }
  }
}
