# Consul 1.8's ACL block for the dev agents this project starts (`make up`, test fixtures,
# devagent -dev-consul-acl): deny whatever no token allows (intentions too: with ACLs, Consul
# 1.8 takes the intention default from default_policy) and keep serving cached decisions if
# the leader is briefly gone. No enable_token_persistence: a -dev agent has no data dir, so
# Consul would write acl-tokens.json (the agent's token) into its working directory, and its
# in-memory state is gone after a restart anyway.
acl {
  enabled        = true
  default_policy = "deny"
  down_policy    = "extend-cache"
}
