"""Health routes: /health for the service itself, /health/upstreams for what it calls."""

from flask import Blueprint, current_app, jsonify

from services.common.requestlog import current_request_id

health = Blueprint("health", __name__)


def upstream_clients() -> dict:
    """Return the app's upstream clients by name."""
    return current_app.extensions["upstream_clients"]


@health.get("/health")
def service_health():
    """Answer 200 while the service serves."""
    return jsonify({"status": "ok", "service": current_app.config["SERVICE_NAME"]})


@health.get("/health/upstreams")
def upstreams_health():
    """Answer 200 if every upstream's /health answers ok, else 503 naming the failing ones."""
    results = {name: client.probe(current_request_id()) for name, client in upstream_clients().items()}
    failing = sorted(name for name, result in results.items() if result["status"] != "ok")
    body = {
        "service": current_app.config["SERVICE_NAME"],
        "status": "failing" if failing else "ok",
        "upstreams": results,
        "failing": failing,
    }
    return jsonify(body), 503 if failing else 200
