"""Upstream failures against real local sockets and servers: each becomes a 502 naming the hop."""

import json

import pytest

from tests.services.conftest import invoice_client_for, order_client_for

INVOICE_BODY = {"region": "DE", "items": [{"sku": "a", "qty": 1, "unit_price": "10"}]}

# (caller, upstream, how to make the caller's test client, how to send the request)
HOPS = {
    "order -> invoice": ("invoice", order_client_for, lambda client: client.get("/")),
    "invoice -> tax": ("tax", invoice_client_for, lambda client: client.post("/invoices", json=INVOICE_BODY)),
}


def call_through(hop, upstream_url):
    upstream, make_client, send = HOPS[hop]
    return upstream, send(make_client(upstream_url))


def assert_failed_hop(response, upstream, hop, reason):
    assert response.status_code == 502, response.json
    body = response.json
    assert body["service"] == hop.split(" -> ")[0]
    assert body["upstream"] == upstream
    assert body["failed_hop"] == hop
    assert body["reason"] == reason
    assert body["error"] == f"upstream {upstream} failed: {reason}"
    assert body["detail"]


@pytest.mark.parametrize("hop", HOPS)
def test_connection_refused(hop, refusing):
    upstream, response = call_through(hop, refusing.url)
    assert_failed_hop(response, upstream, hop, "connection refused")


@pytest.mark.parametrize("hop", HOPS)
@pytest.mark.parametrize(
    ("behaviour", "reason"),
    [("reset", "connection reset"), ("close", "connection closed"), ("silent", "read timeout")],
)
def test_connection_misbehaviour(hop, behaviour, reason, misbehaving):
    upstream, response = call_through(hop, misbehaving(behaviour).url)
    assert_failed_hop(response, upstream, hop, reason)


@pytest.mark.parametrize("hop", HOPS)
def test_connect_timeout(hop, full_backlog):
    upstream, response = call_through(hop, full_backlog.url)
    assert_failed_hop(response, upstream, hop, "connect timeout")


@pytest.mark.parametrize("hop", HOPS)
@pytest.mark.parametrize(
    ("status", "body", "content_type", "detail_part"),
    [
        (403, "RBAC: access denied", "text/plain", "HTTP 403: RBAC: access denied"),
        (500, "<html>boom</html>", "text/html", "HTTP 500: <html>boom</html>"),
        (503, "no healthy upstream", "text/plain", "HTTP 503: no healthy upstream"),
        (404, '{"error": "not found"}', "application/json", "HTTP 404"),
        (400, "not json", "text/plain", "HTTP 400: not json"),
    ],
)
def test_error_statuses(hop, status, body, content_type, detail_part, canned):
    upstream, response = call_through(hop, canned(status, body, content_type).url)
    assert_failed_hop(response, upstream, hop, f"HTTP {status}")
    assert detail_part in response.json["detail"]


@pytest.mark.parametrize("hop", HOPS)
@pytest.mark.parametrize("body", ["not json", "[1, 2]", '{"unexpected": true}'])
def test_unusable_success_answers(hop, body, canned):
    upstream, response = call_through(hop, canned(200, body).url)
    assert_failed_hop(response, upstream, hop, "invalid response")


def test_a_failure_reported_by_the_upstream_keeps_its_hop(canned):
    downstream_failure = {
        "error": "upstream tax failed: connection reset",
        "service": "invoice",
        "upstream": "tax",
        "reason": "connection reset",
        "detail": "('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer'))",
        "failed_hop": "invoice -> tax",
    }
    invoice = canned(502, json.dumps(downstream_failure))
    response = order_client_for(invoice.url).get("/")
    assert response.status_code == 502
    assert response.json == {
        "error": "upstream invoice failed: upstream tax failed: connection reset",
        "service": "order",
        "upstream": "invoice",
        "reason": "connection reset",
        "detail": downstream_failure["detail"],
        "failed_hop": "invoice -> tax",
    }
