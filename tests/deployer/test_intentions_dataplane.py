"""`intentions allow|deny` wait until Consul's built-in proxy enforces the change (real sidecar)."""

import re

import pytest

from tests.deployer.builtin_sidecar import BuiltinSidecar
from tests.fixtures.consul import deployer_consul_flags

pytestmark = pytest.mark.consul


@pytest.fixture
def tax_sidecar(clean_intentions, tmp_path):
    agent = clean_intentions
    token = agent.token(service_identities=["tax"]) if agent.management_token else ""
    sidecar = BuiltinSidecar(agent.url, "tax", tmp_path / "proxy.log", token=token).start()
    yield sidecar
    sidecar.stop()


def test_deny_and_allow_return_once_enforced(run_cli, clean_intentions, tax_sidecar):
    flags = deployer_consul_flags(clean_intentions)
    denied = run_cli(*flags, "intentions", "deny", "order", "tax")
    assert denied.code == 0, denied
    assert re.search(r"enforced by tax's sidecar after \d+ ms \(refused", denied.out), denied.out
    allowed = run_cli(*flags, "intentions", "allow", "order", "tax")
    assert allowed.code == 0, allowed
    assert re.search(r"enforced by tax's sidecar after \d+ ms \(HTTP 200\)", allowed.out), allowed.out


def test_deny_says_a_connection_opened_before_it_stays_allowed(run_cli, clean_intentions, tax_sidecar):
    flags = deployer_consul_flags(clean_intentions)
    assert run_cli(*flags, "intentions", "allow", "order", "tax").code == 0
    denied = run_cli(*flags, "intentions", "deny", "order", "tax")
    assert denied.code == 0, denied
    assert re.search(r"enforced by tax's sidecar after \d+ ms \(refused", denied.out), denied.out
    # Consul's built-in proxy authorizes a connection once, at its handshake: the one held open stays allowed
    assert re.search(r"warning: a connection order -> tax opened before the change is still allowed \(HTTP 200\) "
                     r"1s after new connections were denied: tax's sidecar checks intentions when a connection "
                     r"opens", denied.err), denied.err


def test_intentions_apply_waits_for_the_sidecars_it_affects(run_cli, clean_intentions, tax_sidecar):
    flags = deployer_consul_flags(clean_intentions)
    run_cli(*flags, "intentions", "deny", "invoice", "tax")
    restored = run_cli(*flags, "intentions", "apply")
    assert restored.code == 0, restored
    assert "updated invoice -> tax (deny -> allow)" in restored.out
    # only tax has a sidecar here: invoice -> tax is the one pair that can be probed
    assert "enforced by the sidecars for 1 pair(s)" in restored.out


def test_delete_waits_for_what_now_applies(run_cli, clean_intentions, tax_sidecar):
    flags = deployer_consul_flags(clean_intentions)
    run_cli(*flags, "intentions", "deny", "order", "tax")
    deleted = run_cli(*flags, "intentions", "delete", "order", "tax")
    assert deleted.code == 0, deleted
    if clean_intentions.management_token:  # Consul's default: its ACL default policy, deny
        assert "order -> tax: now deny" in deleted.out
        assert re.search(r"enforced by tax's sidecar after \d+ ms \(refused", deleted.out), deleted.out
    else:  # without ACLs a dev agent allows what no intention denies
        assert "order -> tax: now allow" in deleted.out
        assert re.search(r"enforced by tax's sidecar after \d+ ms \(HTTP 200\)", deleted.out), deleted.out


def test_no_wait_holds_no_connection_and_says_nothing_of_one(run_cli, clean_intentions, tax_sidecar):
    flags = deployer_consul_flags(clean_intentions)
    denied = run_cli(*flags, "intentions", "deny", "order", "tax", "--no-wait")
    assert denied.code == 0, denied
    assert "opened before the change" not in denied.out + denied.err
    assert "enforced" not in denied.out


def test_a_deny_of_a_pair_already_denied_holds_nothing(run_cli, clean_intentions, tax_sidecar):
    flags = deployer_consul_flags(clean_intentions)
    run_cli(*flags, "intentions", "deny", "order", "tax")
    deleted = run_cli(*flags, "intentions", "delete", "order", "tax")
    assert deleted.code == 0, deleted
    # delete holds a connection only if the pair was allowed before; here it was denied
    assert "opened before the change" not in deleted.out + deleted.err


def test_intentions_apply_asks_a_connection_held_across_what_it_denies(run_cli, clean_intentions, tax_sidecar):
    flags = deployer_consul_flags(clean_intentions)
    assert run_cli(*flags, "intentions", "allow", "order", "tax").code == 0  # managed, not declared: apply deletes it
    applied = run_cli(*flags, "intentions", "apply")
    assert applied.code == 0, applied
    assert "deleted order -> tax (allow)" in applied.out
    if clean_intentions.management_token:  # Consul's default is deny: the delete denies order -> tax
        assert "warning: a connection order -> tax opened before the change is still allowed" in applied.err
    else:  # without ACLs the pair stays allowed: nothing was denied, no connection was held
        assert "opened before the change" not in applied.out + applied.err
