"""Intentions -> RBAC, table-driven: Consul's precedence, default policy and wildcards, no Consul needed."""

import re

import pytest

from devagent.sidecars.envoy.intentions import Intention, is_allowed, precedence_of
from devagent.sidecars.envoy.names import spiffe_id
from devagent.sidecars.envoy.rbac import http_rbac_config, network_rbac_config, rbac_rules

TD = "11111111-2222-3333-4444-555555555555.consul"
SOURCES = ["web", "other", "evil"]


def ixn(source, action, destination="api"):
    return Intention(source, destination, action, precedence_of(source, destination))


def principal_matches(principal: dict, uri: str) -> bool:
    """Evaluate one Envoy RBAC principal the way Envoy does for these shapes."""
    if "authenticated" in principal:
        return re.match(principal["authenticated"]["principal_name"]["safe_regex"]["regex"], uri) is not None
    if "and_ids" in principal:
        return all(principal_matches(p, uri) for p in principal["and_ids"]["ids"])
    if "not_id" in principal:
        return not principal_matches(principal["not_id"], uri)
    raise AssertionError(f"unexpected principal {principal}")


def rbac_allows(rules: dict, uri: str) -> bool:
    matched = any(principal_matches(p, uri) for policy in rules["policies"].values() for p in policy["principals"])
    return not matched if rules["action"] == "DENY" else matched


CASES = [
    # (intentions, default_allow, sources allowed)
    ([], True, {"web", "other", "evil"}),
    ([], False, set()),
    ([ixn("evil", "deny")], True, {"web", "other"}),
    ([ixn("web", "allow")], False, {"web"}),
    ([ixn("*", "deny"), ixn("web", "allow")], True, {"web"}),  # exact beats wildcard
    ([ixn("*", "allow"), ixn("evil", "deny")], False, {"web", "other"}),
    ([ixn("*", "deny"), ixn("web", "allow"), ixn("other", "allow")], True, {"web", "other"}),
    ([ixn("web", "deny", destination="*"), ixn("*", "allow")], False, {"web", "other", "evil"}),  # */api (8) > web/* (6)
    ([ixn("web", "allow", destination="*"), ixn("*", "deny")], True, set()),
    ([ixn("*", "deny", destination="*"), ixn("web", "allow")], True, {"web"}),
    ([ixn("*", "allow", destination="*"), ixn("evil", "deny", destination="*")], False, {"web", "other"}),
    ([ixn("web", "allow"), Intention("web", "api", "deny", 9)], True, {"other", "evil"}),  # equal: deny wins
    ([ixn("web", "deny"), ixn("web", "allow", destination="*")], True, {"other", "evil"}),
]


@pytest.mark.parametrize("intentions,default_allow,allowed", CASES)
def test_decisions_and_rendered_rbac_agree_with_consul_rules(intentions, default_allow, allowed):
    rules = rbac_rules(intentions, default_allow, TD)
    for source in SOURCES:
        expected = source in allowed
        assert is_allowed(source, intentions, default_allow) is expected, source
        assert rbac_allows(rules, spiffe_id(TD, "dc2", source)) is expected, (source, rules)


def test_default_allow_renders_deny_action_and_default_deny_allow_action():
    assert rbac_rules([ixn("evil", "deny")], True, TD)["action"] == "DENY"
    assert rbac_rules([ixn("web", "allow")], False, TD)["action"] == "ALLOW"
    assert rbac_rules([], True, TD)["policies"] == {}


def test_principals_are_spiffe_regexes_with_a_carved_out_wildcard():
    rules = rbac_rules([ixn("*", "deny"), ixn("web", "allow")], True, TD)
    (principal,) = rules["policies"]["consul-intentions-layer4"]["principals"]
    wildcard, carved = principal["and_ids"]["ids"]
    td = TD.replace(".", r"\.")
    assert wildcard["authenticated"]["principal_name"]["safe_regex"]["regex"] == \
        f"^spiffe://{td}/ns/default/dc/[^/]+/svc/[^/]+$"
    assert carved["not_id"]["authenticated"]["principal_name"]["safe_regex"]["regex"] == \
        f"^spiffe://{td}/ns/default/dc/[^/]+/svc/web$"


def test_a_service_of_another_trust_domain_never_matches():
    rules = rbac_rules([ixn("web", "allow")], False, TD)
    assert not rbac_allows(rules, spiffe_id("other.consul", "dc1", "web"))


def test_precedence_and_consul_entries():
    assert [precedence_of(*pair) for pair in [("a", "b"), ("*", "b"), ("a", "*"), ("*", "*")]] == [9, 8, 6, 5]
    entry = {"SourceName": "web", "DestinationName": "api", "Action": "deny", "Precedence": 9}
    assert Intention.from_consul(entry) == Intention("web", "api", "deny", 9)
    assert Intention.from_consul({**entry, "Precedence": 0, "SourceName": "*"}).precedence == 8


def test_ecds_resources_name_the_filters_they_configure():
    http = http_rbac_config([], True, TD)
    assert http["name"] == "envoy.filters.http.rbac"
    assert http["typed_config"]["@type"].endswith("envoy.extensions.filters.http.rbac.v3.RBAC")
    network = network_rbac_config([], True, TD)
    assert network["name"] == "envoy.filters.network.rbac"
    assert network["typed_config"]["stat_prefix"] == "connect_authz"
