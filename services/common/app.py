"""The app factory every service builds on: config, logging, errors, health and upstream clients."""

from collections.abc import Callable, Mapping

from flask import Flask, current_app, jsonify

from services.common.config import base_config
from services.common.deadline import current_deadline, install_deadlines
from services.common.errors import register_error_handlers
from services.common.health import health
from services.common.requestlog import current_request_id, install_request_logging
from services.common.upstream import UpstreamClient

PRINTED_SETTINGS = (
    "UPSTREAM_URLS",
    "UPSTREAM_CONNECT_TIMEOUT",
    "UPSTREAM_READ_TIMEOUT",
    "UPSTREAM_KEEPALIVE",
    "MAX_CONTENT_LENGTH",
)


def build_service_app(
    service: str,
    upstreams: tuple[str, ...],
    config: Mapping | None = None,
    extra_settings: Callable[[], dict] | None = None,
) -> Flask:
    """Create a Flask app for one service: env settings, then service settings, then config."""
    app = Flask(f"services.{service}", static_folder=None)
    settings = base_config(upstreams)
    if extra_settings is not None:
        settings.update(extra_settings())
    settings.update(config or {})
    settings["SERVICE_NAME"] = service
    app.config.update(settings)
    app.extensions["upstream_clients"] = {
        name: UpstreamClient(
            service,
            name,
            app.config["UPSTREAM_URLS"].get(name),
            app.config["UPSTREAM_CONNECT_TIMEOUT"],
            app.config["UPSTREAM_READ_TIMEOUT"],
            app.config["UPSTREAM_KEEPALIVE"],
        )
        for name in upstreams
    }
    install_request_logging(app, service)
    install_deadlines(app)
    register_error_handlers(app, service)
    app.register_blueprint(health)
    return app


def call_upstream(name: str, method: str, path: str, **kwargs) -> dict:
    """Call an upstream of the current app, propagating the request ID."""
    client = current_app.extensions["upstream_clients"][name]
    return client.call(method, path, current_request_id(), current_deadline(), **kwargs)


def effective_config(app: Flask, printed: tuple[str, ...] = ()) -> dict:
    """Return the settings worth printing at start, JSON-ready."""
    keys = PRINTED_SETTINGS + printed
    return {key.lower(): app.config[key] for key in keys if key in app.config}


def describe_routes():
    """List the service's routes, so a bare curl of any service says what it offers."""
    rules = sorted(
        f"{','.join(sorted(rule.methods - {'HEAD', 'OPTIONS'}))} {rule.rule}"
        for rule in current_app.url_map.iter_rules()
        if rule.endpoint != "static"
    )
    return jsonify({"service": current_app.config["SERVICE_NAME"], "routes": rules})
