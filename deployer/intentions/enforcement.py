"""Wait until intention changes are enforced by the destinations' sidecars."""

from __future__ import annotations

import time
from dataclasses import dataclass

from deployer.verify.identity import LeafStore, load_mesh_ca, sidecar_listeners
from deployer.verify.probe import ALLOWED, DENIED, probe_mtls


@dataclass(frozen=True)
class Enforcement:
    """How the wait for one pair ended: enforced or not, after how long, what was seen last."""

    source: str
    destination: str
    enforced: bool
    seconds: float
    detail: str


def wait_pairs_enforced(clients, expected: dict[tuple[str, str], str], deadline: float = 10.0,
                        interval: float = 0.05) -> list[Enforcement]:
    """Probe each (source, destination) with real mTLS until it matches its action.

    Pairs whose destination has no sidecar in Consul are skipped (not in the result).
    Times are measured from the first probe, after certificates were fetched.
    """
    by_destination = {destination: sidecar_listeners(clients, destination) for _, destination in expected}
    targets = {pair: by_destination[pair[1]] for pair in expected if by_destination[pair[1]]}
    if not targets:
        return []
    ca = load_mesh_ca(clients)
    results = []
    with LeafStore(clients, ca) as leaves:
        identities = {source: leaves.identity(source) for source, _ in targets}
        start = time.monotonic()
        pending = dict(targets)
        while pending:
            for (source, destination), listeners in list(pending.items()):
                wanted = ALLOWED if expected[(source, destination)] == "allow" else DENIED
                seen = [probe_mtls(host, port, identities[source], ca.spiffe_uri(destination), timeout=2.0)
                        for host, port in listeners]
                elapsed = time.monotonic() - start
                enforced = all(r.outcome == wanted for r in seen)
                if enforced or elapsed >= deadline:
                    results.append(Enforcement(source, destination, enforced, elapsed,
                                               "; ".join(r.detail for r in seen)))
                    del pending[(source, destination)]
            if pending:
                time.sleep(interval)
    return sorted(results, key=lambda r: (r.source, r.destination))


def wait_enforced(clients, source: str, destination: str, action: str,
                  deadline: float = 10.0) -> Enforcement | None:
    """One pair; None if the destination has no sidecar to probe."""
    results = wait_pairs_enforced(clients, {(source, destination): action}, deadline)
    return results[0] if results else None
