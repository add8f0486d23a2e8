"""tax: GET /tax?amount=&region= -> {region, rate, amount, tax}."""

from collections.abc import Mapping

from flask import Flask, current_app, jsonify, request

from services.common.app import build_service_app, describe_routes
from services.common.errors import InputError
from services.common.money import MAX_AMOUNT, money, parse_decimal, to_cents
from services.common.validation import parse_region
from services.tax.rates import rates_from_env

SERVICE = "tax"
UPSTREAMS = ()
TAX_QUERY = ("amount", "region")


def read_tax_query() -> tuple:
    """Return (amount, region) from the query string, rejecting missing and unknown parameters."""
    unknown = sorted(set(request.args) - set(TAX_QUERY))
    if unknown:
        raise InputError(f"unknown query parameter(s): {', '.join(unknown)}")
    missing = [name for name in TAX_QUERY if not request.args.get(name, "").strip()]
    if missing:
        raise InputError(f"missing query parameter(s): {', '.join(missing)} (e.g. /tax?amount=100.00&region=DE)")
    return parse_decimal(request.args["amount"], "amount", MAX_AMOUNT), parse_region(request.args["region"])


def tax_for():
    """Compute the tax on an amount for a region."""
    amount, region = read_tax_query()
    rates = current_app.config["TAX_RATES"]
    if region not in rates:
        raise InputError(f"unknown region {region!r}; known regions: {', '.join(sorted(rates))}")
    rate = rates[region]
    amount = to_cents(amount)
    return jsonify({"region": region, "rate": format(rate, "f"), "amount": money(amount), "tax": money(amount * rate)})


def create_app(config: Mapping | None = None) -> Flask:
    """Create the tax app; config overrides settings read from the environment."""
    app = build_service_app(SERVICE, UPSTREAMS, config, lambda: {"TAX_RATES": rates_from_env()})
    app.add_url_rule("/", view_func=describe_routes)
    app.add_url_rule("/tax", view_func=tax_for)
    return app
