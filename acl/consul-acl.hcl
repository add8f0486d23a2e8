# Consul 1.8's ACL block for the dev agents this project starts (`make up`, test fixtures,
# devagent -dev-consul-acl): deny whatever no token allows (intentions too: with ACLs, Consul
# 1.8 takes the intention default from default_policy), keep serving cached decisions if the
# leader is briefly gone, and keep tokens set over the agent API across restarts.
acl {
  enabled                  = true
  default_policy           = "deny"
  down_policy              = "extend-cache"
  enable_token_persistence = true
}
