# verdict: reject
# stage: parse
# error: input.hcl:21,9-16: Unsupported block type;
# error: input.hcl:21,9-16: Unsupported block type; Blocks of type "sidecar" are not expected here.\ninput.hcl:22,9-15: Unsupported block type; Blocks of type "gatewy" are not expected here. Did you mean "gateway"?
# absent: other diagnostic(s)
# source: hcl/v2 hclsyntax Body.Content reports every unsupported block (in order), and jobspec2/parse.go decode()
# source: writes each diagnostic of decoding the body on its own line
job "countdash" {
  datacenters = ["dc1"]

  group "api" {
    network {
      mode = "bridge"
    }

    service {
      name = "count-api"
      port = "9001"

      connect {
        sidecar {}
        gatewy {}
      }
    }

    task "web" {
      driver = "docker"

      config {
        image = "hashicorpdev/counter-api:v3"
      }
    }
  }

  group "dashboard" {
    network {
      mode = "bridge"

      port "http" {
        static = 9002
        to     = 9002
      }
    }

    service {
      name = "count-dashboard"
      port = "http"

      connect {
        sidecar_service {
          proxy {
            upstreams {
              destination_name = "count-api"
              local_bind_port  = 8080
            }
          }
        }
      }
    }

    task "dashboard" {
      driver = "docker"

      env {
        COUNTING_SERVICE_URL = "http://${NOMAD_UPSTREAM_ADDR_count_api}"
      }

      config {
        image = "hashicorpdev/counter-dashboard:v3"
      }
    }
  }
}
