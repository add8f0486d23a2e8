"""Settings from the environment: upstream addresses, timeouts, flags, ports and tax rates."""

import time
from decimal import Decimal

import pytest

from services.common.config import ConfigError, base_config, upstream_url_from_env
from services.common.deadline import bounded_timeouts
from services.common.server import gunicorn_options, main, resolve_port
from services.tax.app import create_app as create_tax_app
from services.tax.rates import DEFAULT_RATES, parse_rates, rates_from_env


@pytest.mark.parametrize(
    ("upstream", "environ", "expected"),
    [
        ("tax", {}, None),
        ("tax", {"NOMAD_UPSTREAM_ADDR_tax": "127.0.0.1:6002"}, "http://127.0.0.1:6002"),
        ("tax", {"TAX_URL": "http://127.0.0.1:5002/"}, "http://127.0.0.1:5002"),
        ("tax", {"NOMAD_UPSTREAM_ADDR_tax": "127.0.0.1:6002", "TAX_URL": "http://127.0.0.1:5002"},
         "http://127.0.0.1:5002"),
        ("tax", {"TAX_URL": "  ", "NOMAD_UPSTREAM_ADDR_tax": "127.0.0.1:6002"}, "http://127.0.0.1:6002"),
        ("sales-tax", {"NOMAD_UPSTREAM_ADDR_sales_tax": "127.0.0.1:7000"}, "http://127.0.0.1:7000"),
        ("sales-tax", {"SALES_TAX_URL": "127.0.0.1:7001"}, "http://127.0.0.1:7001"),
    ],
)
def test_upstream_address_from_env(upstream, environ, expected):
    assert upstream_url_from_env(upstream, environ) == expected


def test_base_config_defaults_and_overrides():
    assert base_config(("tax",), {}) == {
        "UPSTREAM_URLS": {"tax": None},
        "UPSTREAM_CONNECT_TIMEOUT": 1.0,
        "UPSTREAM_READ_TIMEOUT": 3.0,
        "UPSTREAM_KEEPALIVE": False,
        "MAX_CONTENT_LENGTH": 65536,
        "LOG_REQUESTS": True,
    }
    tuned = base_config(("tax",), {"UPSTREAM_CONNECT_TIMEOUT": "0.25", "UPSTREAM_READ_TIMEOUT": "10",
                                   "UPSTREAM_KEEPALIVE": "1"})
    assert (tuned["UPSTREAM_CONNECT_TIMEOUT"], tuned["UPSTREAM_READ_TIMEOUT"], tuned["UPSTREAM_KEEPALIVE"]) == (
        0.25, 10.0, True)


@pytest.mark.parametrize(
    ("environ", "message_part"),
    [
        ({"UPSTREAM_CONNECT_TIMEOUT": "soon"}, "UPSTREAM_CONNECT_TIMEOUT must be a number of seconds"),
        ({"UPSTREAM_READ_TIMEOUT": "0"}, "UPSTREAM_READ_TIMEOUT must be between 0 and 600"),
        ({"UPSTREAM_READ_TIMEOUT": "nan"}, "UPSTREAM_READ_TIMEOUT must be between 0 and 600"),
        ({"UPSTREAM_KEEPALIVE": "maybe"}, "UPSTREAM_KEEPALIVE must be 1 or 0"),
    ],
)
def test_bad_settings_name_the_variable(environ, message_part):
    with pytest.raises(ConfigError, match=message_part):
        base_config(("tax",), environ)


@pytest.mark.parametrize(
    ("flag", "environ", "expected"),
    [
        (None, {}, 5002),
        (None, {"PORT": "7001"}, 7001),
        (None, {"PORT": "7001", "NOMAD_PORT_http": "7002"}, 7002),
        (7003, {"PORT": "7001", "NOMAD_PORT_http": "7002"}, 7003),
    ],
)
def test_port_precedence(flag, environ, expected):
    assert resolve_port(flag, environ, 5002) == expected


@pytest.mark.parametrize("environ", [{"PORT": "http"}, {"NOMAD_PORT_http": "70000"}, {"PORT": "0"}])
def test_bad_ports_are_config_errors(environ):
    with pytest.raises(ConfigError, match="must be a whole number from 1 to 65535"):
        resolve_port(None, environ, 5002)


def test_tax_rates_parse_and_extend_defaults():
    assert parse_rates(" us-ca=0.08 , XX=0.5,") == {"US-CA": Decimal("0.08"), "XX": Decimal("0.5")}
    rates = rates_from_env({"TAX_RATES": "US-CA=0.08,XX=0.5"})
    assert rates == {**DEFAULT_RATES, "US-CA": Decimal("0.08"), "XX": Decimal("0.5")}
    assert rates_from_env({}) == DEFAULT_RATES


@pytest.mark.parametrize("text", ["DE", "DE=", "DE=high", "DE=1.5", "DE=-0.1", "D E=0.1", "=0.1", "DE=NaN"])
def test_bad_tax_rates_are_config_errors(text):
    with pytest.raises(ConfigError, match="TAX_RATES entry"):
        parse_rates(text)


def test_tax_app_reads_tax_rates_from_env(monkeypatch):
    monkeypatch.setenv("TAX_RATES", "XX=0.5")
    client = create_tax_app({"LOG_REQUESTS": False}).test_client()
    assert client.get("/tax?amount=10&region=xx").json["tax"] == "5.00"


def test_gunicorn_options_disable_the_control_socket_and_use_one_threaded_worker():
    options = gunicorn_options("tax", "127.0.0.1", 7000, 8, 4)
    assert options["control_socket_disable"] is True
    assert (options["bind"], options["workers"], options["threads"]) == ("127.0.0.1:7000", 1, 8)
    assert options["worker_class"].endswith("GracefulThreadWorker")


@pytest.mark.parametrize(
    ("environ", "message_part"),
    [
        ({"PORT": "http"}, "error: tax: PORT must be a whole number"),
        ({"TAX_RATES": "DE=lots"}, "error: tax: TAX_RATES entry 'DE=lots'"),
        ({"WEB_THREADS": "0"}, "error: tax: WEB_THREADS must be a whole number from 1 to 256"),
        ({"GRACEFUL_TIMEOUT": "4.5"}, "error: tax: GRACEFUL_TIMEOUT must be a whole number"),
    ],
)
def test_main_refuses_bad_settings_with_one_line(monkeypatch, capsys, environ, message_part):
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    assert main("tax", create_tax_app, 5002, argv=[]) == 2
    err = capsys.readouterr().err
    assert err.startswith(message_part) and err.count("\n") == 1


def test_main_refuses_a_bad_port_flag(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main("tax", create_tax_app, 5002, argv=["--port", "web"])
    assert exit_info.value.code == 2
    assert "must be a port number" in capsys.readouterr().err


def test_bounded_timeouts():
    assert bounded_timeouts(1.0, 3.0, None) == (1.0, 3.0)
    connect, read = bounded_timeouts(1.0, 3.0, time.monotonic() + 2.0)
    assert connect == 1.0 and 1.9 < read <= 2.0
    assert bounded_timeouts(1.0, 3.0, time.monotonic() - 0.1) is None
