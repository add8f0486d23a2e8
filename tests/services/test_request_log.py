"""One JSON log line per request on stdout, with the request ID."""

import json

from services.tax import create_app
from services.tax.rates import DEFAULT_RATES


def test_one_json_line_per_request(capsys):
    client = create_app({"TAX_RATES": DEFAULT_RATES}).test_client()
    capsys.readouterr()
    client.get("/tax?amount=1&region=DE", headers={"X-Request-ID": "abc-1"})
    client.get("/tax?amount=oops&region=DE")
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(lines) == 2
    first, second = lines
    assert {k: first[k] for k in ("service", "method", "path", "status", "request_id")} == {
        "service": "tax", "method": "GET", "path": "/tax", "status": 200, "request_id": "abc-1"}
    assert isinstance(first["duration_ms"], float) and first["duration_ms"] >= 0
    assert second["status"] == 400 and len(second["request_id"]) == 32


def test_unexpected_errors_are_json_500_without_traceback(capsys):
    app = create_app({"LOG_REQUESTS": False})

    @app.get("/explode")
    def explode():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/explode")
    assert response.status_code == 500
    assert response.json == {"error": "internal error: RuntimeError", "service": "tax"}
