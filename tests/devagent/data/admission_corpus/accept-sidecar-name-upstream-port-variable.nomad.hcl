# verdict: accept
# source: nomad/job_endpoint_hook_connect.go groupConnectHook interpolates the name with taskenv at submit time, which sets NOMAD_UPSTREAM_PORT_<destination> (client/taskenv/env.go buildUpstreamsEnv): the name is api-5432
job "j" {
  group "g" {
    network {
      mode = "bridge"
    }
    service {
      name = "api-${NOMAD_UPSTREAM_PORT_db}"
      port = "9090"
      connect {
        sidecar_service {
          proxy {
            upstreams {
              destination_name = "db"
              local_bind_port  = 5432
            }
          }
        }
      }
    }
    task "t" {
      driver = "docker"
      config { image = "x" }
    }
  }
}
