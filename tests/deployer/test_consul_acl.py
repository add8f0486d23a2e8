"""The deployer against Consul with ACLs on and default deny (issue 15): its token, its refusals, the default."""

import pytest

from deployer.consul_permissions import needed_permission, refusal_hint, refusal_message
from deployer.intentions.model import Intention, declared_intentions, expected_action
from deployer.values import IntentionPolicy, IntentionRule
from tests.deployer.cli_helpers import assert_one_error

RULES = (IntentionRule("order", "invoice", "allow"), IntentionRule("invoice", "tax", "allow"))


@pytest.mark.parametrize("default, consul_default, wildcard", [
    ("deny", "allow", "deny"),      # ACLs off: deny needs its `* -> *`
    ("deny", "deny", None),         # ACL default deny already refuses undeclared pairs
    ("allow", "deny", "allow"),     # allow on a deny Consul takes a `* -> *` allow
    ("allow", "allow", None),
    ("consul", "allow", None),
    ("consul", "deny", None),
])
def test_wildcard_only_where_the_default_differs_from_consuls(default, consul_default, wildcard):
    declared = declared_intentions(IntentionPolicy(default, RULES), consul_default)
    wildcards = [i.action for i in declared if i.key == ("*", "*")]
    assert wildcards == ([wildcard] if wildcard else [])
    assert Intention("order", "invoice", "allow", managed=True) in declared


@pytest.mark.parametrize("default", ["deny", "consul"])
def test_undeclared_pairs_expected_denied_on_a_default_deny_consul(default):
    policy = IntentionPolicy(default, RULES)
    assert expected_action(policy, "order", "tax", "deny") == "deny"
    assert expected_action(policy, "tax", "order", "deny") == "deny"
    assert expected_action(policy, "order", "invoice", "deny") == "allow"


def test_consul_default_follows_consul_when_acls_are_off():
    assert expected_action(IntentionPolicy("consul", RULES), "order", "tax", "allow") == "allow"


@pytest.mark.parametrize("method, target, permission", [
    ("GET", "/v1/agent/self", "agent:read"),
    ("GET", "/v1/agent/connect/ca/leaf/tax", "service:write on tax"),
    ("PUT", "/v1/connect/intentions/exact?source=order&destination=tax", "intentions:write on tax"),
    ("", "create intention order -> billing", "intentions:write on billing"),
    ("", "list intentions", "intentions:read"),
    ("GET", "/v1/catalog/service/tax-sidecar-proxy", "service:read and node:read"),
])
def test_the_needed_permission_is_named(method, target, permission):
    assert needed_permission(method, target) == permission


def test_consuls_own_words_are_kept_when_they_name_the_permission():
    assert refusal_message("PUT /x", "Permission denied: Missing service:write on tax", "agent:write") == \
        "Consul refused PUT /x: Permission denied: Missing service:write on tax"


def test_an_unknown_token_is_named_as_such():
    assert refusal_message("GET /v1/agent/self", "ACL not found", "agent:read") == \
        "Consul refused GET /v1/agent/self: ACL not found"
    assert "not a token this Consul knows" in refusal_hint("ACL not found")
    assert "acl/policies/deployer.hcl" in refusal_hint("Permission denied")


@pytest.mark.consul
def test_without_a_token_the_deployer_says_what_is_missing(run_cli, consul_acl_agent):
    result = run_cli("--consul-addr", consul_acl_agent.http_addr, "--consul-token", "", "intentions", "list")
    assert_one_error(result, 1, "Consul refused GET /v1/agent/self: Permission denied (needs agent:read)")
    assert "acl/policies/deployer.hcl" in result.err_lines[1]


@pytest.mark.consul
def test_deployer_token_writes_our_intentions_and_is_refused_others(run_cli, consul_acl_agent):
    token = consul_acl_agent.token(policies=["deployer"])
    base = ("--consul-addr", consul_acl_agent.http_addr, "--consul-token", token, "intentions")
    created = run_cli(*base, "allow", "order", "invoice")
    assert created.code == 0, created
    try:
        assert ["order", "invoice", "allow", "yes"] in [line.split() for line in run_cli(*base, "list").out.splitlines()]
        assert run_cli(*base, "check", "order", "tax").out.strip() == "order -> tax: denied"
        refused = run_cli(*base, "allow", "order", "billing", "--force")
        assert_one_error(refused, 1, "Permission denied (needs intentions:write on billing)")
    finally:
        assert run_cli(*base, "delete", "order", "invoice").code == 0
