"""The Consul >= 1.9 path (intentions by name), against a double shaped by HashiCorp's published one.

See tests/deployer/consul_api_double.py: the answers' shapes come from npm
@hashicorp/consul-api-double (run with node), their values from the test's state.
"""

import json

import pytest

from tests.deployer.consul_api_double import NOT_BY_NAME, consul19, published_samples  # noqa: F401 - fixtures

EXACT = "/v1/connect/intentions/exact"


@pytest.fixture
def intentions(run_cli, consul19):
    def run(*args):
        return run_cli("--consul-addr", consul19.addr, "intentions", *args)
    return run


def upserts(state):
    return [(q["source"][0], q["destination"][0], b["Action"]) for m, p, q, b in state.log
            if m == "PUT" and p == EXACT]


def test_the_double_answers_only_in_fields_hashicorps_double_has(consul19, published_samples):
    consul19.seed("order", "invoice", Action="allow", Description="x")
    listed = consul19.handle("GET", "/v1/connect/intentions", {}, None)[1][0]
    exact = consul19.handle("GET", EXACT, {"source": ["order"], "destination": ["invoice"]}, None)[1]
    for ours, template in ((listed, published_samples["list_item"]), (exact, published_samples["exact"])):
        assert set(ours) - {"Action"} <= set(template) - NOT_BY_NAME
        assert {"SourceName", "DestinationName", "SourceType", "Precedence"} <= set(ours)
        for key in set(ours) & set(template):
            assert type(ours[key]) is type(template[key]), key


def test_apply_upserts_each_declared_pair_by_name(intentions, consul19):
    result = intentions("apply")
    assert result.code == 0 and "created order -> invoice (allow)" in result.out
    assert sorted(upserts(consul19)) == [("invoice", "tax", "allow"), ("order", "invoice", "allow")]
    put_bodies = [b for m, p, q, b in consul19.log if m == "PUT"]
    assert all(b == {"SourceType": "consul", "Action": "allow", "Description": "managed_by=deployer"}
               for b in put_bodies)
    assert intentions("apply").out.strip() == "intentions: no changes"
    assert intentions("diff").code == 0


def test_foreign_intentions_are_listed_as_foreign_and_left_alone(intentions, consul19):
    consul19.seed("billing", "tax", Action="deny", Description="the billing team's")
    assert intentions("apply").code == 0
    assert consul19.intentions[("billing", "tax")]["Action"] == "deny"
    assert ("billing", "tax") not in [(s, d) for s, d, _ in upserts(consul19)]
    listed = {(i["source"], i["destination"]): i["managed"] for i in json.loads(intentions("list", "--json").out)}
    assert listed == {("billing", "tax"): False, ("invoice", "tax"): True, ("order", "invoice"): True}


def test_deny_twice_then_diff_and_apply_restore(intentions, consul19):
    intentions("apply")
    assert "deny (was allow)" in intentions("deny", "invoice", "tax", "--no-wait").out
    assert "already deny" in intentions("deny", "invoice", "tax", "--no-wait").out
    assert consul19.intentions[("invoice", "tax")]["Action"] == "deny"
    assert intentions("check", "invoice", "tax").out.strip() == "invoice -> tax: denied"
    assert intentions("diff").code == 1
    assert "updated invoice -> tax (deny -> allow)" in intentions("apply").out
    assert consul19.intentions[("invoice", "tax")]["Action"] == "allow"


def test_delete_removes_the_pair_by_name(intentions, consul19):
    intentions("deny", "invoice", "tax", "--no-wait")
    assert "deleted (deny)" in intentions("delete", "invoice", "tax", "--no-wait").out
    assert ("invoice", "tax") not in consul19.intentions
    deletes = [(q["source"][0], q["destination"][0]) for m, p, q, b in consul19.log if m == "DELETE"]
    assert deletes == [("invoice", "tax")]


def test_intentions_migrated_from_legacy_count_as_ours_by_their_meta(intentions, consul19):
    consul19.seed("order", "invoice", Action="deny", LegacyMeta={"managed_by": "deployer"})
    consul19.samples = {**consul19.samples,
                        "list_item": {**consul19.samples["list_item"], "LegacyMeta": {}}}
    assert "updated order -> invoice (deny -> allow)" in intentions("apply").out


def test_a_foreign_intention_on_a_declared_pair_is_not_overwritten_without_force(intentions, consul19):
    consul19.seed("invoice", "tax", Action="deny", Description="security team")
    result = intentions("allow", "invoice", "tax", "--no-wait")
    assert result.code == 1 and "--force" in result.err
    assert consul19.intentions[("invoice", "tax")]["Description"] == "security team"
    assert intentions("allow", "invoice", "tax", "--no-wait", "--force").code == 0
    assert consul19.intentions[("invoice", "tax")]["Description"] == "managed_by=deployer"


def test_consul_1_8_uses_the_legacy_api_with_ids_and_meta(intentions, consul19):
    consul19.version = "1.8.7"
    consul19.seed("order", "invoice", Action="allow", ID="5f3c0b1e-0000-4000-8000-000000000001",
                  Meta={"managed_by": "deployer"})
    consul19.seed("*", "tax", Action="deny", ID="5f3c0b1e-0000-4000-8000-000000000002", Meta={})
    result = intentions("--json", "list")
    assert result.code == 0, result.err
    assert json.loads(result.out) == [
        {"source": "*", "destination": "tax", "action": "deny", "managed": False},
        {"source": "order", "destination": "invoice", "action": "allow", "managed": True},
    ]
    assert not [p for m, p, q, b in consul19.log if p == EXACT]


def test_a_consul_without_the_intentions_list_is_a_clean_error(intentions, consul19):
    for version in ("1.8.7", "1.15.2"):
        consul19.version = version
        consul19.handle = lambda method, path, query, body, real=consul19.handle: (
            (404, None) if path == "/v1/connect/intentions" else real(method, path, query, body))
        result = intentions("list")
        assert result.code == 1
        assert result.err.startswith("error: Consul has no intentions list") and "unexpected" not in result.err
