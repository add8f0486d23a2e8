"""Consul health of a service and of its sidecar."""

from __future__ import annotations

import threading
import time

from deployer.errors import DeployerError
from deployer.interrupts import raise_if_cancelled


def check_statuses(clients, name: str) -> list[str]:
    """Status of every Consul check of a service (GET /v1/health/checks/<name>)."""
    checks = clients.consul_http.get_json(f"/v1/health/checks/{name}") or []
    return [c.get("Status", "unknown") for c in checks]


def summarize(statuses: list[str]) -> str:
    """`passing`, `no checks`, or e.g. `critical (1/2 passing)`."""
    if not statuses:
        return "no checks"
    passing = statuses.count("passing")
    if passing == len(statuses):
        return "passing"
    worst = "critical" if "critical" in statuses else "warning"
    return f"{worst} ({passing}/{len(statuses)} passing)"


def mesh_health(clients, service: str) -> dict[str, str]:
    """Summaries for the service and its sidecar."""
    return {"service": summarize(check_statuses(clients, service)),
            "sidecar": summarize(check_statuses(clients, f"{service}-sidecar-proxy"))}


def wait_until_healthy(clients, service: str, timeout: float = 60.0,
                       cancel: threading.Event | None = None, interval: float = 0.25) -> None:
    """Block until the service and its sidecar have checks and all of them pass."""
    deadline = time.monotonic() + timeout
    while True:
        health = mesh_health(clients, service)
        if all(v == "passing" for v in health.values()):
            return
        raise_if_cancelled(cancel)
        if time.monotonic() > deadline:
            raise DeployerError(f"{service} not healthy in Consul after {timeout:.0f}s: "
                                f"service {health['service']}, sidecar {health['sidecar']}",
                                hint=f"look at `deployer status` and the checks of {service} in Consul")
        time.sleep(interval)
