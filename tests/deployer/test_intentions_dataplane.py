"""`intentions allow|deny` wait until Consul's built-in proxy enforces the change (real sidecar)."""

import re

import pytest

from tests.deployer.builtin_sidecar import BuiltinSidecar

pytestmark = pytest.mark.consul


@pytest.fixture
def tax_sidecar(clean_intentions, tmp_path):
    sidecar = BuiltinSidecar(clean_intentions.url, "tax", tmp_path / "proxy.log").start()
    yield sidecar
    sidecar.stop()


def test_deny_and_allow_return_once_enforced(run_cli, clean_intentions, tax_sidecar):
    addr = clean_intentions.http_addr
    denied = run_cli("--consul-addr", addr, "intentions", "deny", "order", "tax")
    assert denied.code == 0, denied
    assert re.search(r"enforced by tax's sidecar after \d+ ms \(refused", denied.out), denied.out
    allowed = run_cli("--consul-addr", addr, "intentions", "allow", "order", "tax")
    assert allowed.code == 0, allowed
    assert re.search(r"enforced by tax's sidecar after \d+ ms \(HTTP 200\)", allowed.out), allowed.out


def test_intentions_apply_waits_for_the_sidecars_it_affects(run_cli, clean_intentions, tax_sidecar):
    addr = clean_intentions.http_addr
    run_cli("--consul-addr", addr, "intentions", "deny", "invoice", "tax")
    restored = run_cli("--consul-addr", addr, "intentions", "apply")
    assert restored.code == 0, restored
    assert "updated invoice -> tax (deny -> allow)" in restored.out
    # only tax has a sidecar here: invoice -> tax is the one pair that can be probed
    assert "enforced by the sidecars for 1 pair(s)" in restored.out


def test_delete_waits_for_what_now_applies(run_cli, clean_intentions, tax_sidecar):
    addr = clean_intentions.http_addr
    run_cli("--consul-addr", addr, "intentions", "deny", "order", "tax")
    deleted = run_cli("--consul-addr", addr, "intentions", "delete", "order", "tax")
    assert deleted.code == 0, deleted
    assert "order -> tax: now allow" in deleted.out  # Consul dev mode's default
    assert re.search(r"enforced by tax's sidecar after \d+ ms \(HTTP 200\)", deleted.out), deleted.out
