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
