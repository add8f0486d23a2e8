"""Fixtures for the service tests: apps with explicit settings and real local upstream servers."""

import os

import pytest

from services.invoice import create_app as create_invoice_app
from services.order import create_app as create_order_app
from services.tax import create_app as create_tax_app
from services.tax.rates import DEFAULT_RATES
from tests.services.servers import (
    CannedHTTPServer,
    FullBacklogPort,
    MisbehavingTCPServer,
    RefusingPort,
    ServedApp,
)

# Explicit, so that variables in the developer's environment cannot change what the tests see.
TEST_SETTINGS = {
    "UPSTREAM_CONNECT_TIMEOUT": 0.5,
    "UPSTREAM_READ_TIMEOUT": 0.3,
    "UPSTREAM_KEEPALIVE": False,
    "LOG_REQUESTS": False,
}
TAX_SETTINGS = {"TAX_RATES": DEFAULT_RATES, "LOG_REQUESTS": False}


SERVICE_VARIABLE_PREFIXES = ("NOMAD_", "PORT", "UPSTREAM_", "TAX_", "INVOICE_", "WEB_THREADS", "GRACEFUL_TIMEOUT")


@pytest.fixture(autouse=True)
def without_service_variables(monkeypatch):
    """Remove the variables the services read, so the developer's environment cannot leak in."""
    for name in list(os.environ):
        if name.startswith(SERVICE_VARIABLE_PREFIXES):
            monkeypatch.delenv(name)


@pytest.fixture
def started():
    """Start test servers through this fixture; it stops them all afterwards."""
    servers = []

    def start(server):
        servers.append(server)
        return server

    yield start
    for server in reversed(servers):
        server.stop()


@pytest.fixture
def tax_app():
    return create_tax_app(TAX_SETTINGS)


@pytest.fixture
def tax_client(tax_app):
    return tax_app.test_client()


def invoice_client_for(tax_url):
    """Return a test client of an invoice app whose tax upstream is tax_url."""
    return create_invoice_app({**TEST_SETTINGS, "UPSTREAM_URLS": {"tax": tax_url}}).test_client()


def order_client_for(invoice_url):
    """Return a test client of an order app whose invoice upstream is invoice_url."""
    return create_order_app({**TEST_SETTINGS, "UPSTREAM_URLS": {"invoice": invoice_url}}).test_client()


@pytest.fixture
def live_tax(started):
    """The real tax app served on a real port."""
    return started(ServedApp(create_tax_app(TAX_SETTINGS)))


@pytest.fixture
def live_invoice(started, live_tax):
    """The real invoice app on a real port, calling the live tax app."""
    app = create_invoice_app({**TEST_SETTINGS, "UPSTREAM_URLS": {"tax": live_tax.url}})
    return started(ServedApp(app))


@pytest.fixture
def refusing(started):
    return started(RefusingPort())


@pytest.fixture
def full_backlog(started):
    return started(FullBacklogPort())


@pytest.fixture
def misbehaving(started):
    """Start a TCP server that resets, closes, or never answers."""
    return lambda behaviour: started(MisbehavingTCPServer(behaviour))


@pytest.fixture
def canned(started):
    """Start an HTTP server with one canned answer."""

    def start(status, body, content_type="application/json", **options):
        raw = body.encode() if isinstance(body, str) else body
        return started(CannedHTTPServer(status, raw, content_type, **options))

    return start
