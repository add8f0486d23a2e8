"""The tutorial's scenario with Consul enforcing ACLs, default deny (issue 15): least-privilege tokens throughout.

devagent runs with the devagent policy's token (Nomad's consul.token), the deployer with the deployer
policy's, each sidecar with a service identity token of its own; anonymous callers get nothing.
"""

from itertools import permutations

import pytest
import requests

from tests.e2e.mesh import Deployer, certless_tls_answer, children_of, consul_roots_pem, order_response, plaintext_answer
from tests.mesh_values import values_on_free_ports
from tests.waiting import wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.devagent, pytest.mark.consul]

SERVICES = ["order", "invoice", "tax"]
DECLARED = {("order", "invoice"), ("invoice", "tax")}


@pytest.fixture(params=["builtin", pytest.param("envoy", marks=pytest.mark.envoy)])
def acl_mesh(request, tmp_path, consul_factory, devagent_factory, capsys):
    """A Consul with ACLs (default deny), devagent and the deployer each with their own token."""
    consul = consul_factory(acl=True)
    agent = devagent_factory(sidecar=request.param, consul=consul,
                             extra_args=("-consul-token", consul.token(policies=["devagent"])))
    values, order_port = values_on_free_ports(tmp_path)
    deployer = Deployer(agent.address, consul.http_addr, values, capsys)
    anonymous = Deployer(agent.address, consul.http_addr, values, capsys)
    deployer.flags += ["--consul-token", consul.token(policies=["deployer"])]
    return deployer, anonymous, agent, consul, order_port


def _admin(consul, path):
    return requests.get(f"{consul.url}{path}", headers={"X-Consul-Token": consul.management_token}, timeout=5).json()


def _si_tokens(consul):
    return {t["Description"]: [s["ServiceName"] for s in t["ServiceIdentities"]]
            for t in _admin(consul, "/v1/acl/tokens") if t["Description"].startswith("_nomad_si")}


def test_tutorial_scenario_with_acls_default_deny(acl_mesh):
    deployer, anonymous, agent, consul, order_port = acl_mesh

    # 1. apply with the deployer's token; the chain answers through order's published port.
    applied = deployer("apply")
    assert applied.code == 0, applied.out + applied.err
    assert order_response(order_port).json()["status"] == "confirmed"

    # 2. only the declared pairs have intentions: no `* -> *`, Consul's default deny does the rest.
    pairs = {(i["SourceName"], i["DestinationName"]): i["Action"] for i in _admin(consul, "/v1/connect/intentions")}
    assert pairs == {pair: "allow" for pair in DECLARED}
    assert deployer("intentions", "check", "order", "tax").out.strip() == "order -> tax: denied"

    # 3. verify proves every declared pair allowed and every undeclared one refused, over mTLS.
    verified = deployer("verify")
    assert verified.code == 0, verified.out + verified.err
    rows = {line.split()[1] + " " + line.split()[3]: line.split()[4:7] for line in verified.out.splitlines()
            if line.startswith("mTLS ")}
    for source, destination in permutations(SERVICES, 2):
        expected = "allowed" if (source, destination) in DECLARED else "denied"
        assert rows[f"{source} {destination}"] == [expected, expected, "ok"], verified.out

    # 4. deny breaks the hop; deleting it leaves the pair denied (default deny); allow restores it.
    assert deployer("intentions", "deny", "invoice", "tax").code == 0
    failed = order_response(order_port)
    assert failed.status_code == 502 and failed.json()["failed_hop"] == "invoice -> tax", failed.text
    assert deployer("intentions", "delete", "invoice", "tax").code == 0
    assert order_response(order_port).status_code == 502
    assert deployer("intentions", "allow", "invoice", "tax").code == 0
    assert order_response(order_port).status_code == 200

    # 5. each sidecar runs with a service identity token for its own service only.
    assert sorted(_si_tokens(consul).values()) == [["invoice"], ["order"], ["tax"]]

    # 6. anonymous: no intentions listed, no registration, no leaf; the deployer without a token: one line.
    assert requests.get(f"{consul.url}/v1/connect/intentions", timeout=5).json() == []
    assert requests.put(f"{consul.url}/v1/agent/service/register", json={"Name": "tax", "Port": 1},
                        timeout=5).status_code == 403
    assert requests.get(f"{consul.url}/v1/agent/connect/ca/leaf/order", timeout=5).status_code == 403
    refused = anonymous("intentions", "allow", "order", "tax")
    assert refused.code == 1 and "Traceback" not in refused.err
    assert refused.err.startswith("error: Consul refused") and "Permission denied (needs" in refused.err, refused.err
    assert pairs == {(i["SourceName"], i["DestinationName"]): i["Action"]
                     for i in _admin(consul, "/v1/connect/intentions")}

    # 7. plaintext and certificate-less connections to every sidecar are refused.
    roots = consul_roots_pem(consul.url)
    for name in SERVICES:
        entry = _admin(consul, f"/v1/catalog/service/{name}-sidecar-proxy")[0]
        address = (entry["ServiceAddress"] or entry["Address"], entry["ServicePort"])
        assert not plaintext_answer(address).startswith(b"HTTP/"), name
        assert not certless_tls_answer(address, roots).startswith(b"HTTP/"), name

    # 8. destroy: no process left, the service identity tokens deleted, nothing of ours in the catalog.
    destroyed = deployer("destroy")
    assert destroyed.code == 0, destroyed.out + destroyed.err
    wait_for(lambda: children_of(agent.process.pid) == [], 30, "every task and sidecar process to exit")
    wait_for(lambda: _si_tokens(consul) == {}, 30, "the service identity tokens to be deleted")
    assert set(_admin(consul, "/v1/catalog/services")) == {"consul"}
