"""Through Consul's built-in proxy: a deny intention on invoice -> tax shows up in order's 502."""

import os
import signal
import socket
import subprocess
import time
import uuid

import pytest
import requests

from devagent.consul_dev import find_consul_binary
from devagent.ports import free_port
from services.invoice import create_app as create_invoice_app
from services.tax import create_app as create_tax_app
from tests.services.conftest import TAX_SETTINGS, TEST_SETTINGS, order_client_for
from tests.services.servers import CannedHTTPServer, ServedApp

pytestmark = pytest.mark.consul

CANNED_TAX_ANSWER = b'{"region": "US-CA", "rate": "0.0725", "amount": "44.48", "tax": "3.22"}'
ALWAYS_PASSING = [{"Name": "test: always passing", "TTL": "10m", "Status": "passing"}]


def wait_for_status(client, status: int, within: float, what: str):
    """Poll order's GET / until it answers status; fail with the last answer past the deadline."""
    deadline = time.monotonic() + within
    while True:
        response = client.get("/")
        if response.status_code == status:
            return response
        if time.monotonic() > deadline:
            raise AssertionError(f"no {status} within {within} s ({what}); last: {response.status_code} {response.json}")
        time.sleep(0.05)


def wait_until(condition, within: float, what: str) -> None:
    """Poll condition until it is true, or fail naming what was awaited."""
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {within} s waiting for {what}")
        time.sleep(0.05)


def accepts_tcp(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        return True
    except OSError:
        return False


def new_connection_allowed(url: str) -> bool:
    try:
        return requests.get(f"{url}/health", headers={"Connection": "close"}, timeout=2).ok
    except requests.ConnectionError:
        return False


def sidecar(port: int, upstreams: list | None = None) -> dict:
    """A sidecar registration on loopback whose check passes at once (no 10 s critical start)."""
    proxy = {"Config": {"bind_address": "127.0.0.1"}, "Upstreams": upstreams or []}
    return {"Port": port, "Address": "127.0.0.1", "Proxy": proxy, "Checks": ALWAYS_PASSING}


@pytest.fixture
def mesh(request, consul_agent, clean_intentions, started, tmp_path):
    """tax and invoice, each behind a built-in proxy; invoice reaches tax only through the mesh.

    invoice -> tax is a declared pair: its allow intention is written (its ID is `declared`), so the chain
    works whatever Consul's default; each proxy runs with its service's identity token under ACLs.

    Parametrize indirectly with {"keepalive": True} to have invoice pool its connections to a tax
    that keeps connections open.
    """
    keepalive = getattr(request, "param", {}).get("keepalive", False)
    suffix = uuid.uuid4().hex[:6]
    tax_name, invoice_name = f"tax-{suffix}", f"invoice-{suffix}"
    tax_sidecar_port, invoice_sidecar_port, tax_upstream_port = free_port(), free_port(), free_port()
    if keepalive:
        # Werkzeug's server closes every connection; this one keeps them, as gunicorn would.
        tax = started(CannedHTTPServer(200, CANNED_TAX_ANSWER, keepalive=True))
    else:
        tax = started(ServedApp(create_tax_app(TAX_SETTINGS)))
    invoice = started(ServedApp(create_invoice_app(
        {**TEST_SETTINGS, "UPSTREAM_READ_TIMEOUT": 2.0, "UPSTREAM_KEEPALIVE": keepalive, "UPSTREAM_URLS": {"tax": f"127.0.0.1:{tax_upstream_port}"}}
    )))
    registrations = {
        tax_name: {"Port": int(tax.url.rsplit(":", 1)[1]), "Connect": {"SidecarService": sidecar(tax_sidecar_port)}},
        invoice_name: {
            "Port": int(invoice.url.rsplit(":", 1)[1]),
            "Connect": {"SidecarService": sidecar(invoice_sidecar_port, [
                {"DestinationName": tax_name, "LocalBindAddress": "127.0.0.1", "LocalBindPort": tax_upstream_port}
            ])},
        },
    }
    proxies = []
    admin = consul_agent.admin_headers
    try:
        for name, registration in registrations.items():
            body = {"ID": name, "Name": name, "Address": "127.0.0.1", **registration}
            requests.put(f"{consul_agent.url}/v1/agent/service/register", json=body, headers=admin,
                         timeout=5).raise_for_status()
            token = ["-token", consul_agent.token(service_identities=[name])] if consul_agent.management_token else []
            with open(tmp_path / f"{name}-proxy.log", "wb") as log:
                proxies.append(subprocess.Popen(
                    [find_consul_binary(), "connect", "proxy", "-sidecar-for", name,
                     "-http-addr", consul_agent.http_addr, "-log-level", "debug", *token],
                    stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
                ))
        wait_until(lambda: accepts_tcp(tax_sidecar_port) and accepts_tcp(tax_upstream_port), 15, "proxy listeners")
        declared = write_intention(consul_agent, invoice_name, tax_name, "allow")
        yield {"invoice_url": invoice.url, "source": invoice_name, "destination": tax_name, "consul": consul_agent,
               "tax_via_mesh": f"http://127.0.0.1:{tax_upstream_port}", "declared": declared}
    finally:
        for proxy in proxies:
            os.killpg(proxy.pid, signal.SIGTERM)
            try:
                proxy.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(proxy.pid, signal.SIGKILL)
                proxy.wait()
        for name in registrations:
            requests.put(f"{consul_agent.url}/v1/agent/service/deregister/{name}-sidecar-proxy", headers=admin,
                         timeout=5)
            requests.put(f"{consul_agent.url}/v1/agent/service/deregister/{name}", headers=admin, timeout=5)


def write_intention(agent, source: str, destination: str, action: str, intention_id: str = "") -> str:
    """Create (or, given its ID, update) the intention source -> destination; return its ID."""
    body = {"SourceName": source, "DestinationName": destination, "Action": action, "SourceType": "consul"}
    url = f"{agent.url}/v1/connect/intentions"
    if intention_id:
        requests.put(f"{url}/{intention_id}", json=body, headers=agent.admin_headers, timeout=5).raise_for_status()
        return intention_id
    created = requests.post(url, json=body, headers=agent.admin_headers, timeout=5)
    created.raise_for_status()
    return created.json()["ID"]


def set_declared(mesh, action: str) -> None:
    """Turn the declared invoice -> tax intention to `action`."""
    write_intention(mesh["consul"], mesh["source"], mesh["destination"], action, mesh["declared"])


def test_deny_on_invoice_to_tax_is_reported_by_order_with_that_hop(mesh):
    order = order_client_for(mesh["invoice_url"])
    allowed = wait_for_status(order, 200, 20, "the chain working while allowed")
    assert allowed.json["invoice"]["total"] == "47.70"

    written = time.monotonic()
    set_declared(mesh, "deny")
    denied = wait_for_status(order, 502, 5, "the deny enforced")
    print(f"built-in proxy: deny enforced {time.monotonic() - written:.3f} s after writing it;"
          f" the app saw {denied.json['reason']!r}")
    body = denied.json
    assert (body["service"], body["upstream"], body["failed_hop"]) == ("order", "invoice", "invoice -> tax")
    assert body["reason"] in ("connection closed", "connection reset"), body

    set_declared(mesh, "allow")
    assert wait_for_status(order, 200, 5, "the chain working again once allowed")


@pytest.mark.parametrize("mesh", [{"keepalive": True}], indirect=True)
def test_pooled_connections_outlive_a_deny_which_is_why_they_are_off_by_default(mesh):
    order = order_client_for(mesh["invoice_url"])
    wait_for_status(order, 200, 20, "the chain working while allowed")
    set_declared(mesh, "deny")
    wait_until(lambda: not new_connection_allowed(mesh["tax_via_mesh"]), 5, "the deny enforced on new connections")
    statuses = [order.get("/").status_code for _ in range(5)]
    assert statuses == [200] * 5, "the kept-alive mTLS connection should still carry requests"
