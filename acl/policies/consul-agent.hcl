# The Consul agent's own token (acl.tokens.agent): keep its node in the catalog and read
# services for anti-entropy, as HashiCorp's "agent token" guide documents. One dev node,
# whose name is the host's, so a node prefix rather than a fixed node name.
node_prefix "" {
  policy = "write"
}
service_prefix "" {
  policy = "read"
}
