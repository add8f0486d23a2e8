"""invoice: POST /invoices {region, items} -> {invoice_id, region, lines, subtotal, tax, total}."""

import uuid
from collections.abc import Mapping
from decimal import Decimal

from flask import Flask, jsonify

from services.common.app import build_service_app, call_upstream, describe_routes
from services.common.errors import InputError
from services.common.money import MAX_AMOUNT, money, parse_decimal, to_cents
from services.common.upstream import UpstreamFailure
from services.common.validation import Item, check_fields, parse_items, parse_region, read_json_object

SERVICE = "invoice"
UPSTREAM = "tax"


def invoice_lines(items: list[Item]) -> tuple[list[dict], Decimal]:
    """Return the invoice lines and their subtotal, each line total rounded to cents."""
    lines, subtotal = [], Decimal(0)
    for item in items:
        line_total = to_cents(item.unit_price * item.qty)
        subtotal += line_total
        lines.append({**item.as_json(), "unit_price": money(item.unit_price), "line_total": money(line_total)})
    return lines, subtotal


def tax_on(subtotal: Decimal, region: str) -> Decimal:
    """Ask the tax service for the tax on subtotal in region."""
    answer = call_upstream(UPSTREAM, "GET", "/tax", params={"amount": money(subtotal), "region": region})
    try:
        return parse_decimal(answer.get("tax"), "tax", MAX_AMOUNT)
    except InputError as exc:
        raise UpstreamFailure(UPSTREAM, "invalid response", exc.message, f"{SERVICE} -> {UPSTREAM}") from None


def create_invoice():
    """Price the items, add the tax for the region and return the invoice."""
    body = read_json_object()
    check_fields(body, ("region", "items"))
    region = parse_region(body["region"])
    lines, subtotal = invoice_lines(parse_items(body["items"]))
    tax = to_cents(tax_on(subtotal, region))
    return jsonify(
        {
            "invoice_id": f"inv-{uuid.uuid4().hex[:12]}",
            "region": region,
            "lines": lines,
            "subtotal": money(subtotal),
            "tax": money(tax),
            "total": money(subtotal + tax),
        }
    )


def create_app(config: Mapping | None = None) -> Flask:
    """Create the invoice app; config overrides settings read from the environment."""
    app = build_service_app(SERVICE, (UPSTREAM,), config)
    app.add_url_rule("/", view_func=describe_routes)
    app.add_url_rule("/invoices", view_func=create_invoice, methods=["POST"])
    return app
