"""`deployer intentions ...` against the real Consul 1.8.7 (legacy ID-based API), via main(argv)."""

import json

import pytest
import requests
import yaml

from deployer.values import DEFAULT_VALUES
from tests.deployer.cli_helpers import assert_one_error
from tests.fixtures.consul import deployer_consul_flags

pytestmark = pytest.mark.consul


@pytest.fixture
def intentions(run_cli, clean_intentions):
    """Run `deployer intentions ARGS` against the shared Consul (cleaned afterwards), with the deployer's token."""
    return intentions_runner(run_cli, clean_intentions)


def intentions_runner(run_cli, agent):
    """`deployer intentions ARGS` on `agent`; token= overrides the deployer's token."""
    flags = deployer_consul_flags(agent)

    def run(*args, token=None):
        chosen = flags if token is None else [*flags[:-1], token]
        return run_cli(*chosen, "intentions", *args)

    run.agent = agent
    return run


def listed(run):
    return {(i["source"], i["destination"]): (i["action"], i["managed"])
            for i in json.loads(run("list", "--json").out)}


def create_foreign(agent, src, dst, action):
    """An intention written by someone else (the management token), not marked as the deployer's."""
    body = {"SourceName": src, "DestinationName": dst, "SourceType": "consul", "Action": action}
    requests.post(f"{agent.url}/v1/connect/intentions", json=body, headers=agent.admin_headers,
                  timeout=5).raise_for_status()


def consul_default(agent) -> str:
    """What Consul answers for a pair without intention: its ACL default policy (deny here), else allow."""
    return "denied" if agent.management_token else "allowed"


def test_list_when_empty(intentions):
    result = intentions("list")
    assert result.code == 0 and result.out.strip() == "no intentions"


def test_deny_is_idempotent_and_marked_ours(intentions):
    first = intentions("deny", "invoice", "tax", "--no-wait")
    assert first.code == 0 and "invoice -> tax: deny (created)" in first.out
    second = intentions("deny", "invoice", "tax", "--no-wait")
    assert second.code == 0 and "already deny" in second.out
    assert listed(intentions) == {("invoice", "tax"): ("deny", True)}
    allow = intentions("allow", "invoice", "tax", "--no-wait")
    assert "allow (was deny)" in allow.out
    assert listed(intentions) == {("invoice", "tax"): ("allow", True)}


def test_check_reports_consuls_answer_and_exits_0(intentions):
    intentions("deny", "order", "invoice", "--no-wait")
    denied = intentions("check", "order", "invoice")
    assert denied.code == 0 and denied.out.strip() == "order -> invoice: denied"
    undeclared = intentions("check", "order", "tax")  # no intention: Consul's default
    assert undeclared.code == 0 and undeclared.out.strip() == f"order -> tax: {consul_default(intentions.agent)}"


def test_unknown_service_is_an_error_unless_forced(intentions):
    assert_one_error(intentions("deny", "order", "nosuch", "--no-wait"), 1, "unknown service 'nosuch'")
    assert listed(intentions) == {}
    # the deployer's own token may write only our services' intentions (tests/deployer/test_consul_acl.py)
    forced = intentions("deny", "order", "nosuch", "--no-wait", "--force", token=intentions.agent.management_token)
    assert forced.code == 0
    assert listed(intentions) == {("order", "nosuch"): ("deny", True)}


def test_wildcard_is_a_known_name(intentions):
    result = intentions("deny", "*", "tax")
    assert result.code == 0 and "not probed" in result.out


def test_deny_without_sidecar_says_it_was_not_probed(intentions):
    result = intentions("deny", "order", "tax")
    assert result.code == 0 and "not probed: tax has no sidecar" in result.out


def test_apply_then_no_changes_then_restores_after_adhoc_deny(intentions):
    applied = intentions("apply")
    assert applied.code == 0
    assert "created order -> invoice (allow)" in applied.out and "created invoice -> tax (allow)" in applied.out
    assert intentions("apply").out.strip() == "intentions: no changes"
    assert intentions("diff").code == 0
    intentions("deny", "invoice", "tax", "--no-wait")
    drift = intentions("diff")
    assert drift.code == 1 and "update invoice -> tax (deny -> allow)" in drift.out
    restored = intentions("apply")
    assert "updated invoice -> tax (deny -> allow)" in restored.out
    assert intentions("diff").code == 0


def test_apply_leaves_foreign_intentions_alone(intentions):
    create_foreign(intentions.agent, "tax", "order", "deny")
    create_foreign(intentions.agent, "order", "invoice", "deny")
    result = intentions("apply")
    assert result.code == 0
    assert "conflict order -> invoice" in result.out and "left alone" in result.out
    assert listed(intentions) == {("tax", "order"): ("deny", False), ("order", "invoice"): ("deny", False),
                                  ("invoice", "tax"): ("allow", True)}
    assert intentions("diff").code == 1  # the conflict is drift


def test_foreign_intentions_need_force(intentions):
    create_foreign(intentions.agent, "invoice", "tax", "allow")
    assert_one_error(intentions("deny", "invoice", "tax", "--no-wait"), 1, "not managed by the deployer")
    assert_one_error(intentions("delete", "invoice", "tax"), 1, "not managed by the deployer")
    assert intentions("deny", "invoice", "tax", "--no-wait", "--force").code == 0
    assert listed(intentions) == {("invoice", "tax"): ("deny", True)}


def test_delete_is_idempotent(intentions):
    intentions("deny", "invoice", "tax", "--no-wait")
    assert "deleted (deny)" in intentions("delete", "invoice", "tax").out
    assert "nothing to delete" in intentions("delete", "invoice", "tax").out
    assert listed(intentions) == {}


def deny_values(tmp_path):
    """dev.yaml with `intentions.default: deny`."""
    data = yaml.safe_load(DEFAULT_VALUES.read_text())
    data["intentions"]["default"] = "deny"
    values = tmp_path / "deny.yaml"
    values.write_text(yaml.safe_dump(data))
    return values


def test_default_deny_policy_adds_a_managed_wildcard(run_cli, consul_factory, tmp_path):
    """Only where Consul's own default is allow, i.e. ACLs off: an agent of its own without ACLs."""
    intentions = intentions_runner(run_cli, consul_factory(acl=False))
    result = intentions("apply", "--values", str(deny_values(tmp_path)))
    assert "created * -> * (deny)" in result.out
    assert listed(intentions)[("*", "*")] == ("deny", True)
    assert intentions("check", "order", "tax").out.strip() == "order -> tax: denied"
    assert intentions("check", "order", "invoice").out.strip() == "order -> invoice: allowed"
    back = intentions("apply")  # dev.yaml: default allow -> our wildcard deny goes away
    assert "deleted * -> * (deny)" in back.out


def test_default_deny_policy_on_a_default_deny_consul_needs_no_wildcard(run_cli, consul_factory, tmp_path):
    """With ACLs (default deny) Consul already refuses undeclared pairs: no `* -> *`, only the declared pairs."""
    intentions = intentions_runner(run_cli, consul_factory(acl=True))
    result = intentions("apply", "--values", str(deny_values(tmp_path)))
    assert result.code == 0, result
    assert "* -> *" not in result.out
    assert listed(intentions) == {("order", "invoice"): ("allow", True), ("invoice", "tax"): ("allow", True)}
    assert intentions("check", "order", "tax").out.strip() == "order -> tax: denied"
    assert intentions("check", "order", "invoice").out.strip() == "order -> invoice: allowed"
