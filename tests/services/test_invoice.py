"""invoice: POST /invoices against a real tax app on a real port, and every bad input."""

import io
import json

import pytest

from tests.services.conftest import invoice_client_for

GOOD_ITEMS = [{"sku": "widget", "qty": 2, "unit_price": "9.99"}, {"sku": "gadget", "qty": 1, "unit_price": 24.5}]


@pytest.fixture
def invoice_client(live_tax):
    return invoice_client_for(live_tax.url)


def test_invoice_prices_lines_and_asks_tax(invoice_client):
    response = invoice_client.post("/invoices", json={"region": "us-ca", "items": GOOD_ITEMS})
    assert response.status_code == 200, response.json
    body = response.json
    assert body["invoice_id"].startswith("inv-")
    assert body["region"] == "US-CA"
    assert body["lines"] == [
        {"sku": "widget", "qty": 2, "unit_price": "9.99", "line_total": "19.98"},
        {"sku": "gadget", "qty": 1, "unit_price": "24.50", "line_total": "24.50"},
    ]
    assert (body["subtotal"], body["tax"], body["total"]) == ("44.48", "3.22", "47.70")


def test_line_totals_round_half_up_before_summing(invoice_client):
    items = [{"sku": "a", "qty": 1, "unit_price": "0.005"}, {"sku": "b", "qty": 3, "unit_price": "0.335"}]
    body = invoice_client.post("/invoices", json={"region": "DE", "items": items}).json
    assert [line["line_total"] for line in body["lines"]] == ["0.01", "1.01"]
    assert (body["subtotal"], body["tax"], body["total"]) == ("1.02", "0.19", "1.21")


def test_json_float_prices_stay_exact(invoice_client):
    raw = b'{"region": "DE", "items": [{"sku": "a", "qty": 3, "unit_price": 0.1}]}'
    body = invoice_client.post("/invoices", data=raw, content_type="application/json").json
    assert body["subtotal"] == "0.30"


def item(**changes):
    return {**{"sku": "a", "qty": 1, "unit_price": "1.00"}, **changes}


BAD_INVOICE_BODIES = [
    (b"", "request body is empty"),
    (b"{not json", "request body is not valid JSON"),
    (b"[1, 2]", "must be a JSON object"),
    (b"[" * 20000 + b"]" * 20000, "request body is not valid JSON"),
    (b'{"region": "DE", "items": [{"sku": "a", "qty": 1, "unit_price": NaN}]}', "NaN"),
    ({"items": [item()]}, "missing field(s): region"),
    ({"region": "DE"}, "missing field(s): items"),
    ({"region": "DE", "items": [item()], "coupon": "X"}, "unknown field(s): coupon"),
    ({"region": 7, "items": [item()]}, "region must be a code"),
    ({"region": "DE", "items": "many"}, "items must be a list"),
    ({"region": "DE", "items": []}, "between 1 and 100 entries"),
    ({"region": "DE", "items": [item()] * 101}, "between 1 and 100 entries, got 101"),
    ({"region": "DE", "items": ["a"]}, "items[0] must be an object"),
    ({"region": "DE", "items": [{"sku": "a", "qty": 1}]}, "items[0] is missing field(s): unit_price"),
    ({"region": "DE", "items": [item(color="red")]}, "items[0] has unknown field(s): color"),
    ({"region": "DE", "items": [item(sku="")]}, "items[0].sku must be a non-empty string"),
    ({"region": "DE", "items": [item(sku="x" * 65)]}, "items[0].sku must be at most 64"),
    ({"region": "DE", "items": [item(qty=0)]}, "items[0].qty must be between 1 and 10000, got 0"),
    ({"region": "DE", "items": [item(qty=-2)]}, "items[0].qty must be between 1 and 10000"),
    ({"region": "DE", "items": [item(qty=10001)]}, "items[0].qty must be between 1 and 10000"),
    ({"region": "DE", "items": [item(qty=1.5)]}, "items[0].qty must be a whole number"),
    ({"region": "DE", "items": [item(qty="2")]}, "items[0].qty must be a whole number"),
    ({"region": "DE", "items": [item(qty=True)]}, "items[0].qty must be a whole number"),
    ({"region": "DE", "items": [item(), item(unit_price="abc")]}, "items[1].unit_price must be a decimal number"),
    ({"region": "DE", "items": [item(unit_price=None)]}, "items[0].unit_price must be a number"),
    ({"region": "DE", "items": [item(unit_price="-1")]}, "items[0].unit_price must not be negative"),
    ({"region": "DE", "items": [item(unit_price="1000000000.01")]}, "items[0].unit_price must be at most"),
    ({"region": "DE", "items": [item(unit_price=1e300)]}, "items[0].unit_price must be at most"),
    ({"region": "DE", "items": [item(sku="x" * 60)] * 100 + [{"pad": "y" * 70000}]}, "request body too large"),
]


@pytest.mark.parametrize(("body", "message_part"), BAD_INVOICE_BODIES)
def test_bad_invoice_bodies_are_400_with_a_message(canned, body, message_part):
    tax = canned(500, "{}")
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    response = invoice_client_for(tax.url).post("/invoices", data=raw, content_type="application/json")
    assert response.status_code == 400, response.json
    assert message_part in response.json["error"]
    assert response.json["service"] == "invoice"
    assert tax.requests == [], "bad input must be rejected before calling tax"


@pytest.mark.parametrize(
    ("size", "message_part"),
    [(1000, "missing field(s): region"), (65535, "missing field(s): region"), (65537, "request body too large")],
)
def test_chunked_bodies_are_held_to_the_size_limit(size, message_part):
    """A body without Content-Length (chunked) is cut at the limit by Werkzeug; we refuse it instead."""
    response = invoice_client_for(None).post(
        "/invoices",
        input_stream=io.BytesIO(b" " * (size - 2) + b"{}"),
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == 400
    assert message_part in response.json["error"]


def test_a_region_tax_does_not_know_is_a_400_passed_on_from_tax(invoice_client):
    response = invoice_client.post("/invoices", json={"region": "ZZ", "items": [item()]})
    assert response.status_code == 400
    assert response.json["upstream"] == "tax"
    assert "unknown region 'ZZ'" in response.json["error"]


def test_invoice_without_a_tax_address_answers_503():
    response = invoice_client_for(None).post("/invoices", json={"region": "DE", "items": [item()]})
    assert response.status_code == 503
    assert response.json["error"] == "upstream tax is not configured"
    assert response.json["upstream"] == "tax"
    assert response.json["failed_hop"] == "invoice -> tax"


def test_invoice_health_routes(invoice_client, refusing):
    assert invoice_client.get("/health").json == {"status": "ok", "service": "invoice"}
    healthy = invoice_client.get("/health/upstreams")
    assert healthy.status_code == 200
    assert healthy.json["upstreams"] == {"tax": {"status": "ok"}}
    failing = invoice_client_for(refusing.url).get("/health/upstreams")
    assert failing.status_code == 503
    assert failing.json["failing"] == ["tax"]
    assert failing.json["upstreams"]["tax"]["reason"] == "connection refused"
    unconfigured = invoice_client_for(None).get("/health/upstreams")
    assert unconfigured.status_code == 503
    assert unconfigured.json["upstreams"]["tax"]["reason"] == "not configured"


def test_invoice_rejects_get(invoice_client):
    assert invoice_client.get("/invoices").status_code == 405


def test_index_lists_invoice_routes():
    routes = invoice_client_for(None).get("/").json["routes"]
    assert "POST /invoices" in routes and "GET /health/upstreams" in routes
