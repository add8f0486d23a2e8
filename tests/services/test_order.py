"""order: POST /orders and the GET / demo order against real invoice and tax apps, and bad input."""

import json

import pytest

from services.order.app import DEMO_ORDER
from tests.services.conftest import order_client_for

ITEMS = [{"sku": "widget", "qty": 2, "unit_price": "9.99"}, {"sku": "gadget", "qty": 1, "unit_price": "24.50"}]


@pytest.fixture
def order_client(live_invoice):
    return order_client_for(live_invoice.url)


def assert_confirmed_order(body, customer, region):
    assert body["order_id"].startswith("ord-")
    assert body["status"] == "confirmed"
    assert body["customer"] == customer
    invoice = body["invoice"]
    assert set(invoice) == {"invoice_id", "region", "lines", "subtotal", "tax", "total"}
    assert invoice["region"] == region


def test_post_orders_walks_the_whole_chain(order_client):
    response = order_client.post("/orders", json={"customer": "ada", "region": "DE", "items": ITEMS})
    assert response.status_code == 200, response.json
    assert_confirmed_order(response.json, "ada", "DE")
    assert (response.json["invoice"]["subtotal"], response.json["invoice"]["tax"]) == ("44.48", "8.45")
    assert response.json["invoice"]["total"] == "52.93"


def test_get_root_places_the_demo_order(order_client):
    response = order_client.get("/")
    assert response.status_code == 200, response.json
    assert_confirmed_order(response.json, DEMO_ORDER["customer"], DEMO_ORDER["region"])
    invoice = response.json["invoice"]
    assert [line["sku"] for line in invoice["lines"]] == ["widget", "gadget"]
    assert (invoice["subtotal"], invoice["tax"], invoice["total"]) == ("44.48", "3.22", "47.70")


def test_request_id_is_propagated_to_upstreams_and_echoed(canned):
    invoice = canned(200, json.dumps({name: "x" for name in ("invoice_id", "region", "lines", "subtotal", "tax", "total")}))
    client = order_client_for(invoice.url)
    response = client.get("/", headers={"X-Request-ID": "trace-42"})
    assert response.status_code == 200
    assert response.headers["X-Request-ID"] == "trace-42"
    (_method, _path, headers, _body), = invoice.requests
    assert headers["X-Request-ID"] == "trace-42"
    assert headers["Connection"] == "close"
    generated = client.get("/", headers={"X-Request-ID": "bad id with spaces"}).headers["X-Request-ID"]
    assert generated != "bad id with spaces" and len(generated) == 32
    assert invoice.requests[-1][2]["X-Request-ID"] == generated


def order(**changes):
    return {**{"customer": "ada", "region": "DE", "items": [{"sku": "a", "qty": 1, "unit_price": "1"}]}, **changes}


BAD_ORDER_BODIES = [
    (b"", "request body is empty"),
    (b"customer=ada", "request body is not valid JSON"),
    (b'"just a string"', "must be a JSON object"),
    ({"region": "DE", "items": []}, "missing field(s): customer"),
    (order(priority="high"), "unknown field(s): priority"),
    (order(customer=""), "customer must be a non-empty string"),
    (order(customer=["ada"]), "customer must be a non-empty string"),
    (order(customer="a" * 101), "customer must be at most 100"),
    (order(region="D E"), "region must be a code"),
    (order(items={}), "items must be a list"),
    (order(items=[{"sku": "a", "qty": 0, "unit_price": "1"}]), "items[0].qty must be between 1 and 10000"),
    (order(items=[{"sku": "a", "qty": 1, "unit_price": "1,5"}]), "items[0].unit_price must be a decimal number"),
    (order(items=[{"sku": "a", "qty": 1, "unit_price": "1"}] * 101), "between 1 and 100 entries"),
    ({"customer": "x" * 70000}, "request body too large"),
]


@pytest.mark.parametrize(("body", "message_part"), BAD_ORDER_BODIES)
def test_bad_order_bodies_are_400_and_never_reach_invoice(canned, body, message_part):
    invoice = canned(500, "{}")
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    response = order_client_for(invoice.url).post("/orders", data=raw, content_type="application/json")
    assert response.status_code == 400, response.json
    assert message_part in response.json["error"]
    assert response.json["service"] == "order"
    assert invoice.requests == []


def test_bad_input_found_downstream_is_a_400_at_order(order_client):
    response = order_client.post("/orders", json=order(region="ZZ"))
    assert response.status_code == 400
    assert "unknown region 'ZZ'" in response.json["error"]
    assert response.json["upstream"] == "invoice"


def test_order_without_an_invoice_address_answers_503():
    response = order_client_for(None).get("/")
    assert response.status_code == 503
    assert response.json == {
        "error": "upstream invoice is not configured",
        "service": "order",
        "upstream": "invoice",
        "reason": "not configured",
        "detail": "set NOMAD_UPSTREAM_ADDR_invoice or INVOICE_URL",
        "failed_hop": "order -> invoice",
    }


def test_order_health_routes(order_client, refusing):
    assert order_client.get("/health").json == {"status": "ok", "service": "order"}
    assert order_client.get("/health/upstreams").status_code == 200
    failing = order_client_for(refusing.url).get("/health/upstreams")
    assert failing.status_code == 503
    assert failing.json["failing"] == ["invoice"]


def test_post_to_root_is_405(order_client):
    assert order_client.post("/").status_code == 405
