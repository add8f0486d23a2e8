"""What one intention write costs Consul in CPU, above its idle rate, while a mesh is up.

Consul 1.8.7's agent keeps a proxy configuration for every connect proxy registered with it, and each
one watches the intentions that match its service. Any intention write wakes all of them, so the cost
of a write grows with the number of local sidecars. The writes here go to a pair of names no service
has, so the mesh's own intentions and traffic are left alone.
"""

from __future__ import annotations

import time

import requests

from bench.procs import cpu_seconds

SOURCE, DESTINATION = "bench-write-cost-source", "bench-write-cost-destination"
WRITE_SPACING_S = 0.5  # Consul rebuilds the proxies' snapshots about 200 ms after a write: each write's cost fits


def consul_cpu_ms_per_intention_write(consul_url: str, consul_pid: int, writes: int = 20,
                                      idle_seconds: float = 3.0) -> float | None:
    """CPU ms Consul spent per intention write beyond its idle rate; None if its process went away."""
    before = cpu_seconds(consul_pid)
    time.sleep(idle_seconds)
    after = cpu_seconds(consul_pid)
    if before is None or after is None:
        return None
    idle_rate = (after - before) / idle_seconds
    body = {"SourceName": SOURCE, "DestinationName": DESTINATION, "SourceType": "consul", "Action": "allow"}
    created = requests.post(f"{consul_url}/v1/connect/intentions", json=body, timeout=10)
    created.raise_for_status()
    intention_id = created.json()["ID"]
    try:
        time.sleep(WRITE_SPACING_S)
        started, before = time.monotonic(), cpu_seconds(consul_pid)
        for number in range(writes):
            body["Action"] = "deny" if number % 2 == 0 else "allow"
            requests.put(f"{consul_url}/v1/connect/intentions/{intention_id}", json=body, timeout=10).raise_for_status()
            time.sleep(WRITE_SPACING_S)
        after, elapsed = cpu_seconds(consul_pid), time.monotonic() - started
    finally:
        requests.delete(f"{consul_url}/v1/connect/intentions/{intention_id}", timeout=10)
    if before is None or after is None:
        return None
    return max(0.0, (after - before) - idle_rate * elapsed) / writes * 1000
