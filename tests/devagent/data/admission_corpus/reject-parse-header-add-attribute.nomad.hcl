# verdict: reject
# stage: parse
# error: Unsupported argument; An argument named "add" is not expected here. Did you mean to define a block of type "add"?
# source: api/consul.go ConsulHTTPHeaderModifiers (`hcl:"add,block"`): jobspec2 decodes add/set as blocks, so the map
# source: attribute form (as gateway.mdx describes it) is refused by gohcl
job "header-attr" {
  group "ingress" {
    network {
      mode = "bridge"
    }

    service {
      name = "edge"
      port = "8080"

      connect {
        gateway {
          ingress {
            listener {
              port     = 8080
              protocol = "http"

              service {
                name = "web"

                request_headers {
                  add = {
                    X-Edge = "nomad"
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}
