"""order: POST /orders {customer, region, items} -> {order_id, status, customer, invoice}; GET / demo."""

import uuid
from collections.abc import Mapping

from flask import Flask, jsonify

from services.common.app import build_service_app, call_upstream
from services.common.upstream import UpstreamFailure
from services.common.validation import check_fields, parse_items, parse_region, parse_text, read_json_object

SERVICE = "order"
UPSTREAM = "invoice"
INVOICE_FIELDS = ("invoice_id", "region", "lines", "subtotal", "tax", "total")
DEMO_ORDER = {
    "customer": "demo",
    "region": "US-CA",
    "items": [
        {"sku": "widget", "qty": 2, "unit_price": "9.99"},
        {"sku": "gadget", "qty": 1, "unit_price": "24.50"},
    ],
}


def place_order(body: dict):
    """Validate an order, have invoice price it, and return the confirmed order."""
    check_fields(body, ("customer", "region", "items"))
    customer = parse_text(body["customer"], "customer")
    region = parse_region(body["region"])
    items = parse_items(body["items"])
    invoice = call_upstream(
        UPSTREAM, "POST", "/invoices", json={"region": region, "items": [item.as_json() for item in items]}
    )
    missing = [name for name in INVOICE_FIELDS if name not in invoice]
    if missing:
        raise UpstreamFailure(
            UPSTREAM, "invalid response", f"invoice lacks {', '.join(missing)}", f"{SERVICE} -> {UPSTREAM}"
        )
    return jsonify(
        {"order_id": f"ord-{uuid.uuid4().hex[:12]}", "status": "confirmed", "customer": customer, "invoice": invoice}
    )


def create_order():
    """Place the order in the request body."""
    return place_order(read_json_object())


def demo_order():
    """Place a small built-in order, so a bare curl shows the whole chain working."""
    return place_order(DEMO_ORDER)


def create_app(config: Mapping | None = None) -> Flask:
    """Create the order app; config overrides settings read from the environment."""
    app = build_service_app(SERVICE, (UPSTREAM,), config)
    app.add_url_rule("/", view_func=demo_order)
    app.add_url_rule("/orders", view_func=create_order, methods=["POST"])
    return app
