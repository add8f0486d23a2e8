"""tax: GET /tax, its bad inputs, health and the index, through Flask's test client."""

from decimal import Decimal

import pytest

from services.tax import create_app


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("amount=100&region=US-CA", {"region": "US-CA", "rate": "0.0725", "amount": "100.00", "tax": "7.25"}),
        ("amount=44.48&region=us-ca", {"region": "US-CA", "rate": "0.0725", "amount": "44.48", "tax": "3.22"}),
        ("amount=10.10&region=DE", {"region": "DE", "rate": "0.19", "amount": "10.10", "tax": "1.92"}),
        # 0.05 * 0.19 = 0.0095 -> 0.01 (half-up), and 0.125 -> 0.13 before taxing
        ("amount=0.05&region=DE", {"region": "DE", "rate": "0.19", "amount": "0.05", "tax": "0.01"}),
        ("amount=0.125&region=JP", {"region": "JP", "rate": "0.10", "amount": "0.13", "tax": "0.01"}),
        ("amount=0&region=FR", {"region": "FR", "rate": "0.20", "amount": "0.00", "tax": "0.00"}),
        ("amount=1000000000000000&region=NL",
         {"region": "NL", "rate": "0.21", "amount": "1000000000000000.00", "tax": "210000000000000.00"}),
    ],
)
def test_tax_is_computed_in_cents_rounded_half_up(tax_client, query, expected):
    response = tax_client.get(f"/tax?{query}")
    assert response.status_code == 200, response.json
    assert response.json == expected


@pytest.mark.parametrize(
    ("query", "message_part"),
    [
        ("", "missing query parameter(s): amount, region"),
        ("amount=10", "missing query parameter(s): region"),
        ("region=DE", "missing query parameter(s): amount"),
        ("amount=&region=DE", "missing query parameter(s): amount"),
        ("amount=ten&region=DE", "amount must be a decimal number"),
        ("amount=1e3&region=DE", "amount must be a decimal number"),
        ("amount=NaN&region=DE", "amount must be a decimal number"),
        ("amount=1_000&region=DE", "amount must be a decimal number"),
        ("amount=-1&region=DE", "amount must not be negative"),
        ("amount=1000000000000000.01&region=DE", "amount must be at most"),
        ("amount=10&region=XX", "unknown region 'XX'"),
        ("amount=10&region=US%20CA", "region must be a code"),
        ("amount=10&region=DE&currency=EUR", "unknown query parameter(s): currency"),
    ],
)
def test_bad_tax_queries_are_400_with_a_message(tax_client, query, message_part):
    response = tax_client.get(f"/tax?{query}")
    assert response.status_code == 400
    assert message_part in response.json["error"]
    assert response.json["service"] == "tax"


def test_tax_rates_from_config_replace_defaults_per_region():
    client = create_app({"LOG_REQUESTS": False, "TAX_RATES": {"DE": Decimal("0.07")}}).test_client()
    assert client.get("/tax?amount=100&region=DE").json["tax"] == "7.00"
    assert client.get("/tax?amount=100&region=US-CA").status_code == 400


def test_health_and_upstream_health_of_tax_which_has_no_upstreams(tax_client):
    assert tax_client.get("/health").json == {"status": "ok", "service": "tax"}
    response = tax_client.get("/health/upstreams")
    assert response.status_code == 200
    assert response.json == {"service": "tax", "status": "ok", "upstreams": {}, "failing": []}


def test_index_lists_routes(tax_client):
    assert "GET /tax" in tax_client.get("/").json["routes"]


@pytest.mark.parametrize(("method", "path", "status"), [("GET", "/nope", 404), ("POST", "/tax", 405)])
def test_unknown_routes_and_methods_answer_json(tax_client, method, path, status):
    response = tax_client.open(path, method=method)
    assert response.status_code == status
    assert response.json["service"] == "tax" and response.json["error"]
    if status == 405:
        assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
