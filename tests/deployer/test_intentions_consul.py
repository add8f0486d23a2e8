"""`deployer intentions ...` against the real Consul 1.8.7 (legacy ID-based API), via main(argv)."""

import json

import pytest
import requests
import yaml

from deployer.values import DEFAULT_VALUES
from tests.deployer.cli_helpers import assert_one_error

pytestmark = pytest.mark.consul


@pytest.fixture
def intentions(run_cli, clean_intentions):
    """Run `deployer intentions ARGS` against the shared Consul (cleaned afterwards)."""
    addr = clean_intentions.http_addr

    def run(*args):
        return run_cli("--consul-addr", addr, "intentions", *args)

    run.url = clean_intentions.url
    return run


def listed(run):
    return {(i["source"], i["destination"]): (i["action"], i["managed"])
            for i in json.loads(run("list", "--json").out)}


def create_foreign(url, src, dst, action):
    body = {"SourceName": src, "DestinationName": dst, "SourceType": "consul", "Action": action}
    requests.post(f"{url}/v1/connect/intentions", json=body, timeout=5).raise_for_status()


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
    allowed = intentions("check", "order", "tax")  # no intention: dev mode default allow
    assert allowed.code == 0 and allowed.out.strip() == "order -> tax: allowed"


def test_unknown_service_is_an_error_unless_forced(intentions):
    assert_one_error(intentions("deny", "order", "nosuch", "--no-wait"), 1, "unknown service 'nosuch'")
    assert listed(intentions) == {}
    forced = intentions("deny", "order", "nosuch", "--no-wait", "--force")
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
    create_foreign(intentions.url, "tax", "order", "deny")
    create_foreign(intentions.url, "order", "invoice", "deny")
    result = intentions("apply")
    assert result.code == 0
    assert "conflict order -> invoice" in result.out and "left alone" in result.out
    assert listed(intentions) == {("tax", "order"): ("deny", False), ("order", "invoice"): ("deny", False),
                                  ("invoice", "tax"): ("allow", True)}
    assert intentions("diff").code == 1  # the conflict is drift


def test_foreign_intentions_need_force(intentions):
    create_foreign(intentions.url, "invoice", "tax", "allow")
    assert_one_error(intentions("deny", "invoice", "tax", "--no-wait"), 1, "not managed by the deployer")
    assert_one_error(intentions("delete", "invoice", "tax"), 1, "not managed by the deployer")
    assert intentions("deny", "invoice", "tax", "--no-wait", "--force").code == 0
    assert listed(intentions) == {("invoice", "tax"): ("deny", True)}


def test_delete_is_idempotent(intentions):
    intentions("deny", "invoice", "tax", "--no-wait")
    assert "deleted (deny)" in intentions("delete", "invoice", "tax").out
    assert "nothing to delete" in intentions("delete", "invoice", "tax").out
    assert listed(intentions) == {}


def test_default_deny_policy_adds_a_managed_wildcard(intentions, tmp_path):
    data = yaml.safe_load(DEFAULT_VALUES.read_text())
    data["intentions"]["default"] = "deny"
    values = tmp_path / "deny.yaml"
    values.write_text(yaml.safe_dump(data))
    result = intentions("apply", "--values", str(values))
    assert "created * -> * (deny)" in result.out
    assert listed(intentions)[("*", "*")] == ("deny", True)
    assert intentions("check", "order", "tax").out.strip() == "order -> tax: denied"
    assert intentions("check", "order", "invoice").out.strip() == "order -> invoice: allowed"
    back = intentions("apply")  # dev.yaml: default allow -> our wildcard deny goes away
    assert "deleted * -> * (deny)" in back.out
