# devagent's token, the counterpart of Nomad's `consul.token` (Nomad's Consul ACL guide,
# legacy token workflow, i.e. without workload identities).

# Nomad creates a service identity token for each Connect sidecar and revokes it when the
# allocation stops; Consul only lets a token do that with acl:write. Nomad documents exactly
# this, and it is the widest grant here: acl:write can mint any token. Workload identities
# (Nomad 1.7+) remove the need; devagent does not implement them.
acl = "write"

# Register and deregister every job's services and their sidecar proxies.
service_prefix "" {
  policy = "write"
}

# /v1/agent/self (the consul fingerprint), agent checks and services.
agent_prefix "" {
  policy = "read"
}

# Read nodes for the catalog and health views the sidecars use.
node_prefix "" {
  policy = "read"
}
