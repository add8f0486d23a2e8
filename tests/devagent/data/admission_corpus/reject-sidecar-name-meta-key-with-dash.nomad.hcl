# verdict: reject
# stage: validate
# error: Consul Connect service name "api-${NOMAD_META_team-name}" in group "g" must not contain uppercase characters
# source: client/taskenv/env.go buildEnv cleans NOMAD_META_ names (helper.CleanEnvVar: team-name -> team_name), so ${NOMAD_META_team-name} stays as written
job "j" {
  meta = {
    "team-name" = "pay"
  }
  group "g" {
    network {
      mode = "bridge"
    }
    service {
      name = "api-${NOMAD_META_team-name}"
      port = "9090"
      connect {
        sidecar_service {}
      }
    }
    task "t" {
      driver = "docker"
      config { image = "x" }
    }
  }
}
