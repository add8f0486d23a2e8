"""Wait until an intention change is enforced by the destination's sidecar."""

from __future__ import annotations

import time
from dataclasses import dataclass

from deployer.verify.identity import LeafStore, load_mesh_ca, sidecar_listeners
from deployer.verify.probe import ALLOWED, DENIED, probe_mtls


@dataclass(frozen=True)
class Enforcement:
    """How the wait ended: enforced or not, after how long, and what was seen last."""

    enforced: bool
    seconds: float
    detail: str


def wait_enforced(clients, source: str, destination: str, action: str, deadline: float = 10.0,
                  interval: float = 0.05) -> Enforcement | None:
    """Probe source -> destination with real mTLS until it matches action; None if no sidecar."""
    targets = sidecar_listeners(clients, destination)
    if not targets:
        return None
    wanted = ALLOWED if action == "allow" else DENIED
    ca = load_mesh_ca(clients)
    start = time.monotonic()
    with LeafStore(clients, ca) as leaves:
        identity = leaves.identity(source)
        while True:
            results = [probe_mtls(h, p, identity, ca.spiffe_uri(destination), timeout=2.0) for h, p in targets]
            elapsed = time.monotonic() - start
            if all(r.outcome == wanted for r in results):
                return Enforcement(True, elapsed, results[0].detail)
            if elapsed >= deadline:
                return Enforcement(False, elapsed, "; ".join(r.detail for r in results))
            time.sleep(interval)
