"""The few Consul agent HTTP calls devagent makes (raw, because python-consul2 lacks Connect)."""

from __future__ import annotations

import os
import threading
import time

from urllib.parse import urlsplit

import requests


# Consul 1.8's agent registers services under its state lock, which its own proxy-config manager
# also takes for every Connect proxy: with ~100 sidecars registering at once on two busy cores a
# registration waited over 5 s (measured in a goroutine dump), and a timeout fails the allocation.
REGISTER_TIMEOUT = 60.0


class ConsulError(RuntimeError):
    """Consul refused or did not answer (every Consul client in devagent raises this one)."""


def consul_endpoint(http_addr: str) -> tuple[bool, str, int]:
    """(https, host, port) of a Consul address given as host:port or http(s)://host:port."""
    url = urlsplit(http_addr if "://" in http_addr else f"http://{http_addr}")
    try:
        port = url.port
    except ValueError:
        port = -1
    if url.scheme not in ("http", "https") or not url.hostname or port == -1:
        raise ConsulError(f"bad Consul address {http_addr!r}: expected host:port or http(s)://host:port")
    https = url.scheme == "https"
    return https, url.hostname, port or (8501 if https else 8500)


class ConsulAgentAPI:
    """Register/deregister services and read checks on one Consul agent."""

    def __init__(self, http_addr: str, token: str | None = None, timeout: float = 5.0):
        https, host, port = consul_endpoint(http_addr)
        self.http_addr = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        self.url = f"{'https' if https else 'http'}://{self.http_addr}"
        self.token = token if token is not None else os.environ.get("CONSUL_HTTP_TOKEN", "")
        self.timeout = timeout
        self.session = requests.Session()
        self._checks_lock = threading.Lock()
        self._checks_snapshot: dict[str, dict] | None = None
        self._checks_read_at = 0.0
        if self.token:
            self.session.headers["X-Consul-Token"] = self.token

    def _call(self, method: str, path: str, timeout: float | None = None, **kwargs):
        try:
            response = self.session.request(method, f"{self.url}{path}", timeout=timeout or self.timeout, **kwargs)
        except requests.RequestException as exc:
            raise ConsulError(f"consul {method} {path}: {exc}") from exc
        if not response.ok:
            raise ConsulError(f"consul {method} {path}: HTTP {response.status_code}: {response.text.strip()}")
        return response

    def alive(self) -> bool:
        """Whether an agent with a leader answers."""
        try:
            return bool(self._call("GET", "/v1/status/leader").json())
        except (ConsulError, ValueError):
            return False

    def register_service(self, payload: dict) -> None:
        """PUT /v1/agent/service/register (may wait behind Consul's agent state lock: see REGISTER_TIMEOUT)."""
        self._call("PUT", "/v1/agent/service/register", timeout=REGISTER_TIMEOUT, json=payload)

    def deregister_service(self, service_id: str) -> None:
        """PUT /v1/agent/service/deregister/:id; a service already gone is fine."""
        try:
            self._call("PUT", f"/v1/agent/service/deregister/{service_id}")
        except ConsulError as exc:
            if "404" not in str(exc) and "Unknown service" not in str(exc):
                raise

    def services(self) -> dict[str, dict]:
        """GET /v1/agent/services."""
        return self._call("GET", "/v1/agent/services").json() or {}

    def checks(self, max_age: float = 0.0) -> dict[str, dict]:
        """GET /v1/agent/checks; with max_age, every caller shares one snapshot at most that old.

        The deployment health of every allocation polls the checks; a hundred allocations each
        reading every check four times a second would keep Consul and devagent busy with nothing else.
        """
        if max_age <= 0:
            return self._call("GET", "/v1/agent/checks").json() or {}
        with self._checks_lock:
            if self._checks_snapshot is not None and time.monotonic() - self._checks_read_at < max_age:
                return self._checks_snapshot
            read_at = time.monotonic()
            self._checks_snapshot = self._call("GET", "/v1/agent/checks").json() or {}
            self._checks_read_at = read_at
            return self._checks_snapshot

    def self_info(self) -> dict:
        """GET /v1/agent/self."""
        return self._call("GET", "/v1/agent/self").json()
