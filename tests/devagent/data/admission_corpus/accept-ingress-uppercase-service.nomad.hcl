# verdict: accept
# source: nomad/job_endpoint_hook_connect.go groupConnectValidate (the lower-case rule is in groupConnectSidecarValidate only;
# source: a gateway service and its group may use upper case); services.go ValidateName is case-insensitive
job "ingress-upper" {
  group "Edge" {
    network {
      mode = "bridge"
    }

    service {
      name = "Public-Ingress"
      port = "8080"

      connect {
        gateway {
          ingress {
            listener {
              port     = 8080
              protocol = "tcp"

              service {
                name = "api"
              }
            }
          }
        }
      }
    }
  }
}
