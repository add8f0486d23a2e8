# verdict: accept
# source: nomad/job_endpoint_hook_connect.go groupConnectHook interpolates gateway names too, but the lower-case rule is
# source: for sidecars only
job "Shop" {
  group "edge" {
    network {
      mode = "bridge"
    }

    service {
      name = "${NOMAD_JOB_NAME}-ingress"
      port = "8080"

      connect {
        gateway {
          ingress {
            listener {
              port = 8080

              service {
                name = "cart"
              }
            }
          }
        }
      }
    }
  }
}
