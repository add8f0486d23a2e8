"""The chain on real ports: order's error body still names invoice -> tax when that hop fails."""

import json

import pytest

from services.invoice import create_app as create_invoice_app
from services.order import create_app as create_order_app
from tests.services.conftest import TEST_SETTINGS, invoice_client_for, order_client_for
from tests.services.servers import ServedApp

TAX_ANSWER = json.dumps({"region": "DE", "rate": "0.19", "amount": "10.00", "tax": "1.90"})
INVOICE_BODY = {"region": "DE", "items": [{"sku": "a", "qty": 1, "unit_price": "10"}]}


@pytest.fixture
def invoice_calling(started):
    """Serve a real invoice app on a real port whose tax upstream is the given URL."""
    return lambda tax_url: started(ServedApp(create_invoice_app({**TEST_SETTINGS, "UPSTREAM_URLS": {"tax": tax_url}})))


def test_order_reports_invoice_to_tax_when_tax_refuses(invoice_calling, refusing):
    response = order_client_for(invoice_calling(refusing.url).url).get("/")
    assert response.status_code == 502
    body = response.json
    assert (body["service"], body["upstream"], body["failed_hop"]) == ("order", "invoice", "invoice -> tax")
    assert body["reason"] == "connection refused"
    assert body["error"] == "upstream invoice failed: upstream tax failed: connection refused"


def test_order_reports_invoice_to_tax_when_tax_resets(invoice_calling, misbehaving):
    response = order_client_for(invoice_calling(misbehaving("reset").url).url).get("/")
    assert response.status_code == 502
    assert (response.json["failed_hop"], response.json["reason"]) == ("invoice -> tax", "connection reset")


def test_equal_read_timeouts_still_blame_the_deepest_hop(started, misbehaving):
    """Both wait 0.6 s; the budget order sends makes invoice give up on tax first and say so."""
    same_timeouts = {**TEST_SETTINGS, "UPSTREAM_READ_TIMEOUT": 0.6}
    silent_tax = misbehaving("silent")
    invoice = started(ServedApp(create_invoice_app({**same_timeouts, "UPSTREAM_URLS": {"tax": silent_tax.url}})))
    order = create_order_app({**same_timeouts, "UPSTREAM_URLS": {"invoice": invoice.url}}).test_client()
    response = order.get("/")
    assert response.status_code == 502
    assert (response.json["failed_hop"], response.json["reason"]) == ("invoice -> tax", "read timeout")


def test_a_spent_budget_fails_without_calling_upstream(canned):
    tax = canned(200, TAX_ANSWER)
    response = invoice_client_for(tax.url).post("/invoices", json=INVOICE_BODY, headers={"X-Request-Timeout-Ms": "1"})
    assert (response.status_code, response.json["reason"]) == (502, "deadline exceeded")
    assert tax.requests == []


def test_order_reports_invoice_to_tax_when_tax_sidecar_denies(invoice_calling, canned):
    tax_sidecar = canned(403, "RBAC: access denied", "text/plain")
    response = order_client_for(invoice_calling(tax_sidecar.url).url).get("/")
    assert response.status_code == 502
    assert (response.json["failed_hop"], response.json["reason"]) == ("invoice -> tax", "HTTP 403")
    assert "RBAC: access denied" in response.json["detail"]


def test_order_reports_invoice_to_tax_when_tax_is_not_configured(invoice_calling):
    response = order_client_for(invoice_calling(None).url).get("/")
    assert response.status_code == 502
    assert (response.json["failed_hop"], response.json["reason"]) == ("invoice -> tax", "not configured")
    assert response.json["error"] == "upstream invoice failed: upstream tax is not configured"


def test_order_names_its_own_hop_when_invoice_itself_is_down(refusing):
    response = order_client_for(refusing.url).get("/")
    assert (response.status_code, response.json["failed_hop"]) == (502, "order -> invoice")


def test_whole_chain_on_real_ports_succeeds(live_invoice):
    response = order_client_for(live_invoice.url).get("/")
    assert response.status_code == 200
    assert response.json["invoice"]["total"] == "47.70"


@pytest.mark.parametrize(("keepalive", "connections_for_two_calls"), [(False, 2), (True, 1)])
def test_new_connection_per_call_unless_keepalive(canned, keepalive, connections_for_two_calls):
    tax = canned(200, TAX_ANSWER, keepalive=True)
    client = create_invoice_app(
        {**TEST_SETTINGS, "UPSTREAM_URLS": {"tax": tax.url}, "UPSTREAM_KEEPALIVE": keepalive}
    ).test_client()
    for _ in range(2):
        assert client.post("/invoices", json=INVOICE_BODY).json["total"] == "11.90"
    assert len(set(tax.client_ports)) == connections_for_two_calls
    assert [headers.get("Connection") for _m, _p, headers, _b in tax.requests] == (
        ["keep-alive"] * 2 if keepalive else ["close"] * 2
    )


def test_invoice_passes_request_id_to_tax(canned):
    tax = canned(200, TAX_ANSWER)
    invoice_client_for(tax.url).post("/invoices", json=INVOICE_BODY, headers={"X-Request-ID": "r-1"})
    assert tax.requests[0][2]["X-Request-ID"] == "r-1"
    assert tax.requests[0][2]["X-Request-Timeout-Ms"] == "300"
    assert tax.requests[0][1] == "/tax?amount=10.00&region=DE"


def test_upstream_given_as_host_port_in_config(live_tax):
    """Nomad's form ('127.0.0.1:6002', no scheme) works when passed in config too."""
    host_port = live_tax.url.removeprefix("http://")
    response = invoice_client_for(host_port).post("/invoices", json=INVOICE_BODY)
    assert response.status_code == 200, response.json
