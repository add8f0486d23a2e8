"""The Consul agent calls devagent makes: services, checks and the agent's own description."""

from __future__ import annotations

import os
import threading
import time

from devagent.consul_client import ConsulClient, ConsulError

# Consul 1.8's agent registers services under its state lock, which its own proxy-config manager
# also takes for every Connect proxy: with ~100 sidecars registering at once on two busy cores a
# registration waited over 5 s (measured in a goroutine dump), and a timeout fails the allocation.
REGISTER_TIMEOUT = 60.0


class ConsulAgentAPI:
    """Register/deregister services and read checks on one Consul agent."""

    def __init__(self, http_addr: str, token: str | None = None, timeout: float = 5.0):
        self.client = ConsulClient(http_addr, token if token is not None else os.environ.get("CONSUL_HTTP_TOKEN", ""),
                                   timeout)
        self.http_addr, self.token = self.client.http_addr, self.client.token
        self._checks_lock = threading.Lock()
        self._checks_snapshot: dict[str, dict] | None = None
        self._checks_read_at = 0.0

    def alive(self) -> bool:
        """Whether an agent with a leader answers."""
        try:
            return bool(self.client.call("GET", "/v1/status/leader"))
        except ConsulError:
            return False

    def register_service(self, payload: dict) -> None:
        """PUT /v1/agent/service/register (may wait behind Consul's agent state lock: see REGISTER_TIMEOUT)."""
        self.client.call("PUT", "/v1/agent/service/register", payload, timeout=REGISTER_TIMEOUT)

    def deregister_service(self, service_id: str) -> None:
        """PUT /v1/agent/service/deregister/:id; a service already gone is fine."""
        try:
            self.client.put(f"/v1/agent/service/deregister/{service_id}")
        except ConsulError as exc:
            if "404" not in str(exc) and "Unknown service" not in str(exc):
                raise

    def services(self) -> dict[str, dict]:
        """GET /v1/agent/services."""
        return self.client.call("GET", "/v1/agent/services") or {}

    def checks(self, max_age: float = 0.0) -> dict[str, dict]:
        """GET /v1/agent/checks; with max_age, every caller shares one snapshot at most that old.

        The deployment health of every allocation polls the checks; a hundred allocations each
        reading every check four times a second would keep Consul and devagent busy with nothing else.
        """
        if max_age <= 0:
            return self.client.call("GET", "/v1/agent/checks") or {}
        with self._checks_lock:
            if self._checks_snapshot is not None and time.monotonic() - self._checks_read_at < max_age:
                return self._checks_snapshot
            read_at = time.monotonic()
            self._checks_snapshot = self.client.call("GET", "/v1/agent/checks") or {}
            self._checks_read_at = read_at
            return self._checks_snapshot

    def self_info(self) -> dict:
        """GET /v1/agent/self."""
        return self.client.call("GET", "/v1/agent/self")
