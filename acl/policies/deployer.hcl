# The deployer's token: write intentions whose destination is one of our services, read the
# catalog, health and the agent (Consul's default intention policy). No acl, key, operator or
# agent write; no service outside order, invoice and tax beyond reading it.
#
# service:write on our three services is for `deployer verify` only: it proves each pair by
# connecting with the source's leaf certificate, and Consul hands out a service's leaf only
# to a token with service:write on it. (It also lets the token register instances of them.)
service "order" {
  policy     = "write"
  intentions = "write"
}
service "invoice" {
  policy     = "write"
  intentions = "write"
}
service "tax" {
  policy     = "write"
  intentions = "write"
}

# Catalog and health of every service (also reads, not writes, their intentions).
service_prefix "" {
  policy = "read"
}
node_prefix "" {
  policy = "read"
}

# /v1/agent/self: whether Consul denies pairs without an intention (ACL default policy).
agent_prefix "" {
  policy = "read"
}
