"""Consul data the Envoy sidecars need, each read by one blocking watch shared by every sidecar that needs it.

Topics: the CA roots (everyone), a service's leaf (its sidecars), the intentions of a destination
(its sidecars) and the passing instances of an upstream (its callers). A change calls back only
the subscribers of its topic, so an intention change reaches only the destination's sidecars and
a health change only the callers of that service.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable

from devagent.consul_client import ConsulClient, ConsulError

from .clusters import passing_instances
from .config_health import CHECK_ID_SUFFIX
from .intentions import Intention
from .watches import BlockingWatch

log = logging.getLogger(__name__)

ROOTS = ("roots",)
INTENTIONS_LIST = "/v1/connect/intentions"
WATCH_READ_TIMEOUT = 30.0  # a first leaf is signed by Consul's CA, rate-limited: 100 at once take a while
Topic = tuple
Subscriber = Callable[[Topic], None]


def leaf_topic(service: str) -> Topic:
    return ("leaf", service)


def intentions_topic(destination: str) -> Topic:
    return ("intentions", destination)


def health_topic(destination: str, datacenter: str = "") -> Topic:
    return ("health", destination, datacenter)


def intentions_by_destination(entries: list[dict]) -> dict[str, tuple[Intention, ...]]:
    """Consul's intention list parsed once, grouped by destination name (`*` is a key of its own)."""
    grouped: dict[str, set[Intention]] = {}
    for entry in entries:
        grouped.setdefault(entry.get("DestinationName"), set()).add(Intention.from_consul(entry))
    return {name: tuple(intentions) for name, intentions in grouped.items()}


def matching_intentions(grouped: dict[str, tuple[Intention, ...]], destination: str) -> tuple[Intention, ...]:
    """The intentions of `destination` (exact or `*`), in a stable order."""
    matching = grouped.get(destination, ()) + (grouped.get("*", ()) if destination != "*" else ())
    return tuple(sorted(matching, key=lambda ix: (ix.source, ix.destination, ix.action, ix.precedence)))


class ConsulMesh:
    """The shared watches of one Consul agent; each topic's watch runs while it has subscribers."""

    def __init__(self, http_addr: str, token: str = ""):
        self.http_addr = http_addr
        self.token = token
        self._lock = threading.Condition()
        self._values: dict[Topic, object] = {}
        self._subscribers: dict[Topic, list[Subscriber]] = {}
        self._watches: dict[Topic, BlockingWatch] = {}  # keyed by the watch's own topic; intentions share one
        self._intentions: dict[str, tuple[Intention, ...]] | None = None  # by destination name
        self._default_allow: bool | None = None
        self._default_allow_lock = threading.Lock()

    # -- subscribers ------------------------------------------------------------------
    def subscribe(self, topic: Topic, subscriber: Subscriber) -> None:
        """Call `subscriber(topic)` on every change of `topic`, starting its watch if needed."""
        with self._lock:
            self._subscribers.setdefault(topic, []).append(subscriber)
            if topic[0] == "intentions":
                if self._intentions is not None:
                    self._values[topic] = matching_intentions(self._intentions, topic[1])
                self._ensure_watch(("intentions-list",))
            else:
                self._ensure_watch(topic)

    def unsubscribe(self, topic: Topic, subscriber: Subscriber) -> None:
        """Stop calling `subscriber`; a watch nobody needs any more stops."""
        stopped = []
        with self._lock:
            subscribers = self._subscribers.get(topic, [])
            if subscriber in subscribers:
                subscribers.remove(subscriber)
            if subscribers:
                return
            self._subscribers.pop(topic, None)
            self._values.pop(topic, None)
            key = ("intentions-list",) if topic[0] == "intentions" else topic
            if key == ("intentions-list",) and any(t[0] == "intentions" for t in self._subscribers):
                return
            watch = self._watches.pop(key, None)
            if key == ("intentions-list",):
                self._intentions = None
            if watch is not None:
                stopped.append(watch)
        for watch in stopped:
            watch.close()

    def value(self, topic: Topic):
        """The current value of a topic, or None before its first read."""
        with self._lock:
            return self._values.get(topic)

    def wait_for(self, topics: list[Topic], deadline: float) -> None:
        """Block until every topic has a value; TimeoutError names the missing ones."""
        with self._lock:
            while True:
                missing = [t for t in topics if t not in self._values]
                if not missing:
                    return
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError("envoy sidecar: no answer from Consul for " +
                                       ", ".join("/".join(filter(None, t)) for t in missing))
                self._lock.wait(min(remaining, 0.5))

    def default_allow(self, deadline: float) -> bool:
        """Consul's intention default: allow without ACLs, else the ACL default policy (read once)."""
        with self._default_allow_lock:  # a hundred sidecars starting at once ask Consul once
            return self._read_default_allow(deadline)

    def _read_default_allow(self, deadline: float) -> bool:
        while self._default_allow is None:
            client = ConsulClient(self.http_addr, self.token)
            try:
                self_info, _ = client.get("/v1/agent/self")
            except ConsulError as exc:
                if "HTTP 403" in str(exc):
                    # ACLs on, and a token without agent:read (a service identity) is refused only
                    # when the default policy is deny: a default allow would have let it read.
                    self._default_allow = False
                    break
                if time.monotonic() > deadline:
                    raise TimeoutError(f"envoy sidecar: Consul not answering: {exc}") from exc
                time.sleep(0.2)
                continue
            finally:
                client.close()
            config = self_info.get("DebugConfig") or {}
            if "ACLsEnabled" not in config:
                log.warning("cannot read Consul's ACL default policy; assuming intentions default to deny")
                self._default_allow = False
            else:
                self._default_allow = not config["ACLsEnabled"] or config.get("ACLDefaultPolicy") == "allow"
        return self._default_allow

    # -- watches ------------------------------------------------------------------------
    def _ensure_watch(self, key: Topic) -> None:
        if key in self._watches:
            return
        kind = key[0]
        if kind == "roots":
            path, params, apply = "/v1/agent/connect/ca/roots", None, self._apply_roots
        elif kind == "leaf":
            path, params, apply = f"/v1/agent/connect/ca/leaf/{key[1]}", None, lambda data: self._publish(key, data)
        elif kind == "health":
            # not ?passing=1: the configuration checks of the callers' own kind must not count (see passing_instances)
            params = {"dc": key[2]} if key[2] else None
            path = f"/v1/health/connect/{key[1]}"
            apply = lambda data: self._publish(key, passing_instances(data or [], CHECK_ID_SUFFIX))  # noqa: E731
        elif kind == "intentions-list":
            path, params, apply = INTENTIONS_LIST, None, self._apply_intentions
        else:
            raise ValueError(f"unknown topic {key!r}")
        name = "-".join(key)
        # A slow answer is waited for rather than retried (a retry is one more request to a busy Consul)
        watch = BlockingWatch(name, ConsulClient(self.http_addr, self.token, timeout=WATCH_READ_TIMEOUT), path,
                              params, apply, threading.Event())
        self._watches[key] = watch
        watch.start()

    def _apply_roots(self, roots: dict) -> None:
        if not (roots or {}).get("Roots") or not roots.get("TrustDomain"):
            raise ConsulError("Consul has no Connect CA roots yet")
        pems = tuple(root["RootCert"] for root in roots["Roots"])
        self._publish(ROOTS, (roots["TrustDomain"], pems))

    def _apply_intentions(self, entries: list[dict]) -> None:
        # Parsed once and compared per destination, so a change reaches its destination's sidecars
        # without first walking every other destination (a 100-service mesh has 100 topics)
        grouped = intentions_by_destination(entries or [])
        with self._lock:
            self._intentions = grouped
            topics = [t for t in self._subscribers if t[0] == "intentions"]
            changed = [(t, v) for t in topics
                       if (v := matching_intentions(grouped, t[1])) != self._values.get(t) or t not in self._values]
        for topic, value in changed:
            self._publish(topic, value)

    def _publish(self, topic: Topic, value) -> None:
        with self._lock:
            if topic not in self._subscribers or self._values.get(topic) == value and topic in self._values:
                return
            self._values[topic] = value
            self._lock.notify_all()
            subscribers = list(self._subscribers[topic])
        for subscriber in subscribers:
            try:
                subscriber(topic)
            except Exception:  # noqa: BLE001 -- one sidecar's failure must not starve the others
                log.exception("envoy sidecar: applying %s failed", "/".join(topic))


_meshes: dict[tuple[str, str], ConsulMesh] = {}
_meshes_lock = threading.Lock()


def mesh_for(http_addr: str, token: str = "") -> ConsulMesh:
    """The shared watches of one Consul agent (and token)."""
    with _meshes_lock:
        mesh = _meshes.get((http_addr, token))
        if mesh is None:
            mesh = _meshes[(http_addr, token)] = ConsulMesh(http_addr, token)
        return mesh
