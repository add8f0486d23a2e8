"""What the server knows per proxy: its resources and versions per type, and what Envoy accepted."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Callable

from google.protobuf import any_pb2

from .types import short_name

log = logging.getLogger(__name__)


@dataclass
class ProxyStatus:
    """Envoy's verdict on its configuration: accepted versions and the rejections still standing."""

    accepted: dict[str, str] = field(default_factory=dict)  # type URL -> last ACKed version
    rejected: dict[str, str] = field(default_factory=dict)  # type URL -> Envoy's error for the current version

    @property
    def healthy(self) -> bool:
        """Envoy has accepted some configuration and rejects none of what it has now."""
        return bool(self.accepted) and not self.rejected

    def describe(self) -> str:
        """One line for a check's output or a task event."""
        if self.rejected:
            return "; ".join(f"{short_name(t)}: {error}" for t, error in sorted(self.rejected.items()))
        if not self.accepted:
            return "waiting for Envoy to accept its configuration"
        return "Envoy accepted " + ", ".join(f"{short_name(t)} v{v}" for t, v in sorted(self.accepted.items()))


class Proxy:
    """One Envoy node: its resources by type, a version per type, listeners for changes and verdicts.

    Setters run on devagent's threads; streams read under the same lock on the server's loop.
    """

    def __init__(self, node_id: str):
        self.node_id = node_id
        self.token = ""  # the Consul ACL token its Envoy must present as x-consul-token ("": none asked)
        self._lock = threading.Lock()
        self._resources: dict[str, dict[str, any_pb2.Any]] = {}
        self._versions: dict[str, int] = {}
        self._watchers: set[Callable[[str], None]] = set()
        self.status = ProxyStatus()
        self.on_status: Callable[[ProxyStatus, str], None] | None = None  # (status, what changed)
        self.pushes: dict[str, int] = {}  # type URL -> versions published (for tests and the bench)

    # -- devagent's side ----------------------------------------------------------------
    def set_resources(self, type_url: str, resources: dict[str, any_pb2.Any]) -> bool:
        """Replace every resource of a type; bumps its version and wakes streams only if something changed."""
        with self._lock:
            current = self._resources.get(type_url)
            if current is not None and _same(current, resources):
                return False
            self._resources[type_url] = dict(resources)
            self._versions[type_url] = self._versions.get(type_url, 0) + 1
            self.pushes[type_url] = self.pushes.get(type_url, 0) + 1
            watchers = list(self._watchers)
        for wake in watchers:
            wake(type_url)
        return True

    # -- the streams' side ----------------------------------------------------------------
    def snapshot(self, type_url: str) -> tuple[int, dict[str, any_pb2.Any]] | None:
        """(version, resources) of a type, or None before devagent has set it."""
        with self._lock:
            if type_url not in self._resources:
                return None
            return self._versions[type_url], self._resources[type_url]

    def version(self, type_url: str) -> int:
        with self._lock:
            return self._versions.get(type_url, 0)

    def watch(self, wake: Callable[[str], None]) -> None:
        with self._lock:
            self._watchers.add(wake)

    def unwatch(self, wake: Callable[[str], None]) -> None:
        with self._lock:
            self._watchers.discard(wake)

    def acked(self, type_url: str, version: int) -> None:
        """Envoy accepted `version` of a type."""
        with self._lock:
            was_rejected = self.status.rejected.pop(type_url, None) is not None
            first = type_url not in self.status.accepted
            self.status.accepted[type_url] = str(version)
        if was_rejected or first:
            self._report("accepted")

    def nacked(self, type_url: str, version: int, error: str) -> None:
        """Envoy rejected `version` of a type and keeps what it had."""
        log.warning("xds: %s rejected %s version %d: %s", self.node_id, short_name(type_url), version, error)
        with self._lock:
            if version != self._versions.get(type_url):
                return  # a newer version is on its way
            self.status.rejected[type_url] = error
        self._report("rejected")

    def _report(self, what: str) -> None:
        callback = self.on_status
        if callback is not None:
            try:
                callback(self.status, what)
            except Exception:  # noqa: BLE001 -- reporting must not break the stream
                log.exception("xds: status callback of %s failed", self.node_id)


def _same(a: dict[str, any_pb2.Any], b: dict[str, any_pb2.Any]) -> bool:
    return a.keys() == b.keys() and all(a[name] == b[name] for name in a)


class ProxyRegistry:
    """Every proxy the server knows, by node ID."""

    def __init__(self):
        self._lock = threading.Lock()
        self._proxies: dict[str, Proxy] = {}
        self._arrivals: list[Callable[[], None]] = []

    def add(self, node_id: str) -> Proxy:
        """The proxy of a node, created on first use."""
        with self._lock:
            proxy = self._proxies.get(node_id)
            if proxy is None:
                proxy = self._proxies[node_id] = Proxy(node_id)
            arrivals, self._arrivals = self._arrivals, []
        for wake in arrivals:
            wake()
        return proxy

    def get(self, node_id: str) -> Proxy | None:
        with self._lock:
            return self._proxies.get(node_id)

    def remove(self, node_id: str, proxy: Proxy) -> None:
        with self._lock:
            if self._proxies.get(node_id) is proxy:
                del self._proxies[node_id]

    def on_next_add(self, wake: Callable[[], None]) -> None:
        """Call `wake` once, when the next proxy is added."""
        with self._lock:
            self._arrivals.append(wake)

    def __len__(self) -> int:
        with self._lock:
            return len(self._proxies)
