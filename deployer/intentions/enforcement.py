"""Wait until intention changes are enforced by the destinations' sidecars, on new and already-open connections."""

from __future__ import annotations

import time
from dataclasses import dataclass

from deployer.errors import DeployerError
from deployer.verify.identity import LeafStore, load_mesh_ca, sidecar_listeners
from deployer.verify.kept_connection import KeptConnection
from deployer.verify.probe import ALLOWED, DENIED, probe_mtls

# Connections opened before a write, at most: each is one more mTLS connection held during the wait.
MAX_KEPT_CONNECTIONS = 16
# How long an already-open connection is still asked once new connections are denied.
OPEN_CONNECTION_GRACE_S = 1.0
# Why a deny can miss a connection opened before it.
CHECKED_AT_OPEN = ("checks intentions when a connection opens, so connections opened earlier stay allowed "
                   "until they close")


@dataclass(frozen=True)
class OpenConnection:
    """What a connection opened before the write saw after it: allowed, denied or closed, after how long."""

    outcome: str
    seconds: float
    detail: str


@dataclass(frozen=True)
class Enforcement:
    """How the wait for one pair ended: enforced or not, after how long, what was seen last."""

    source: str
    destination: str
    enforced: bool
    seconds: float
    detail: str
    open_connection: OpenConnection | None = None


class EnforcementProbe:
    """Real mTLS probes of source -> destination pairs around an intention write.

    keep_open() before the write holds a connection per pair; wait() after it probes new
    connections until they match the wanted action, and asks the held ones whether a deny
    reaches what already flows (Envoy's HTTP RBAC checks every request; a TCP or Consul
    built-in proxy checks a connection only when it opens).
    """

    def __init__(self, clients):
        self.clients = clients
        self._listeners: dict[str, list[tuple[str, int]]] = {}
        self._ca = None
        self._leaves: LeafStore | None = None
        self._kept: dict[tuple[str, str], KeptConnection] = {}

    def keep_open(self, pairs) -> None:
        """Open one connection per pair the sidecar allows now (up to MAX_KEPT_CONNECTIONS) and hold it."""
        for source, destination in list(pairs)[:MAX_KEPT_CONNECTIONS]:
            try:
                listeners = self.listeners(destination)
                if not listeners or (source, destination) in self._kept:
                    continue
                host, port = listeners[0]
                kept = KeptConnection.open(host, port, self.identity(source), self.ca.spiffe_uri(destination))
            except (DeployerError, OSError):
                return  # best effort: the wait after the write reports what is wrong with Consul or the sidecar
            if kept is not None:
                self._kept[(source, destination)] = kept

    def listeners(self, destination: str) -> list[tuple[str, int]]:
        """The public listeners of the destination's sidecar (looked up once)."""
        if destination not in self._listeners:
            self._listeners[destination] = sidecar_listeners(self.clients, destination)
        return self._listeners[destination]

    @property
    def ca(self):
        """The mesh's roots and trust domain (read once)."""
        if self._ca is None:
            self._ca = load_mesh_ca(self.clients)
        return self._ca

    def identity(self, source: str):
        """The source's leaf certificate as files."""
        if self._leaves is None:
            self._leaves = LeafStore(self.clients, self.ca)
        return self._leaves.identity(source)

    def wait(self, expected: dict[tuple[str, str], str], deadline: float = 10.0,
             interval: float = 0.05) -> list[Enforcement]:
        """Probe each pair with new mTLS connections until it matches its action ("allow"/"deny").

        Pairs whose destination has no sidecar in Consul are skipped (not in the result).
        Times are measured from the first probe, after certificates were fetched.
        """
        targets = {pair: self.listeners(pair[1]) for pair in expected if self.listeners(pair[1])}
        if not targets:
            return []
        identities = {source: self.identity(source) for source, _ in targets}
        start = time.monotonic()
        new_seen: dict[tuple[str, str], tuple[bool, float, str]] = {}
        open_seen: dict[tuple[str, str], OpenConnection] = {}
        results = []
        pending = dict(targets)
        while pending:
            for pair, listeners in list(pending.items()):
                (source, destination), wanted = pair, _outcome(expected[pair])
                if pair not in new_seen:
                    seen = [probe_mtls(host, port, identities[source], self.ca.spiffe_uri(destination), timeout=2.0)
                            for host, port in listeners]
                    elapsed = time.monotonic() - start
                    enforced = all(r.outcome == wanted for r in seen)
                    if enforced or elapsed >= deadline:
                        new_seen[pair] = (enforced, elapsed, "; ".join(r.detail for r in seen))
                kept = self._kept.get(pair) if wanted == DENIED else None
                if kept is not None and pair not in open_seen:
                    self._ask_kept(kept, pair, start, deadline, new_seen.get(pair), open_seen)
                if pair in new_seen and (kept is None or pair in open_seen):
                    enforced, elapsed, detail = new_seen[pair]
                    results.append(Enforcement(source, destination, enforced, elapsed, detail, open_seen.get(pair)))
                    del pending[pair]
            if pending:
                time.sleep(interval)
        return sorted(results, key=lambda r: (r.source, r.destination))

    @staticmethod
    def _ask_kept(kept: KeptConnection, pair, start: float, deadline: float, new_seen, open_seen: dict) -> None:
        """Ask the held connection once; settle it when denied, closed, or still allowed past the grace."""
        answer = kept.ask()
        elapsed = time.monotonic() - start
        if answer.outcome != ALLOWED:
            open_seen[pair] = OpenConnection(answer.outcome, elapsed, answer.detail)
        elif new_seen is not None and (elapsed >= new_seen[1] + OPEN_CONNECTION_GRACE_S or elapsed >= deadline):
            open_seen[pair] = OpenConnection(ALLOWED, elapsed, answer.detail)

    def close(self) -> None:
        """Close the held connections and remove the leaf certificates' files."""
        for kept in self._kept.values():
            kept.close()
        self._kept.clear()
        if self._leaves is not None:
            self._leaves.close()

    def __enter__(self) -> "EnforcementProbe":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _outcome(action: str) -> str:
    return ALLOWED if action == "allow" else DENIED


def wait_pairs_enforced(clients, expected: dict[tuple[str, str], str], deadline: float = 10.0,
                        interval: float = 0.05, probe: EnforcementProbe | None = None) -> list[Enforcement]:
    """Probe each (source, destination) until it matches its action; a given probe also asks what it holds open."""
    if probe is not None:
        return probe.wait(expected, deadline, interval)
    with EnforcementProbe(clients) as own:
        return own.wait(expected, deadline, interval)


def wait_enforced(clients, source: str, destination: str, action: str, deadline: float = 10.0,
                  probe: EnforcementProbe | None = None) -> Enforcement | None:
    """One pair; None if the destination has no sidecar to probe."""
    results = wait_pairs_enforced(clients, {(source, destination): action}, deadline, probe=probe)
    return results[0] if results else None


def open_connection_note(result: Enforcement) -> tuple[str, bool] | None:
    """A sentence on the connection held open across the change, and whether it warns (still allowed)."""
    held = result.open_connection
    if held is None:
        return None
    pair = f"{result.source} -> {result.destination}"
    if held.outcome == ALLOWED:
        return (f"a connection {pair} opened before the change is still allowed ({held.detail}) "
                f"{OPEN_CONNECTION_GRACE_S:g}s after new connections were denied: {result.destination}'s sidecar "
                f"{CHECKED_AT_OPEN}", True)
    verb = "denied" if held.outcome == DENIED else "closed"
    return f"a connection {pair} opened before the change: {verb} after {held.seconds * 1000:.0f} ms " \
           f"({held.detail})", False
