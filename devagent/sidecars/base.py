"""The contract between devagent's alloc runner and a sidecar kind (builtin, envoy)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, ClassVar


@dataclass(frozen=True)
class UpstreamSpec:
    """One `upstreams` block of the job's proxy stanza."""

    destination_name: str
    local_bind_port: int
    local_bind_address: str = "127.0.0.1"
    datacenter: str = ""


@dataclass(frozen=True)
class ExposePathSpec:
    """One expose path: plain HTTP on listener_port forwarded to the app's path."""

    path: str
    listener_port: int
    local_path_port: int
    protocol: str = "http"


@dataclass
class SidecarSpec:
    """Everything a sidecar needs to know about the service it fronts."""

    alloc_id: str
    job: str
    group: str
    service_name: str  # the parent service, e.g. "tax"
    service_id: str  # the parent's Consul service ID
    sidecar_service_id: str  # service_id + "-sidecar-proxy"
    public_port: int  # host port of the public (mTLS) listener
    local_app_port: int  # where the app listens on 127.0.0.1
    upstreams: list[UpstreamSpec]
    work_dir: Path  # private directory for config files and secrets
    consul_http_addr: str  # "127.0.0.1:8500"
    bind_address: str = "127.0.0.1"  # of the public and expose listeners: 0.0.0.0 inside a namespace
    protocol: str = "tcp"  # proxy config "protocol": "http" enables per-request (L7) checks
    expose_paths: list[ExposePathSpec] = field(default_factory=list)
    proxy_config: dict = field(default_factory=dict)  # the job's proxy { config { ... } }
    consul_token: str = ""
    datacenter: str = "dc1"
    # Bridge mode: the named network namespace the sidecar process runs in ("" = the host's network).
    # Inside it the host's 127.0.0.1 is out of reach; unix sockets in the alloc dir are not.
    network_namespace: str = ""
    consul_http_socket: str = ""  # a unix socket reaching Consul's HTTP API (Nomad's alloc/tmp/consul_http.sock)
    # Envoy: devagent's xDS server socket (one per devagent, under its data dir) and this
    # sidecar's admin socket (in the alloc dir); None = defaults (a temp dir, work_dir/admin.sock).
    # Unix sockets, because they are reachable from inside an allocation's network namespace.
    xds_socket: Path | None = None
    admin_socket: Path | None = None
    # Records a task event (its message) on the sidecar task, e.g. when Envoy rejects its config.
    report_event: Callable[[str], None] | None = None


def agent_xds_socket(data_dir: Path) -> Path:
    """Where the agent with this data dir serves xDS to its sidecars (SidecarSpec.xds_socket)."""
    return Path(data_dir) / "xds.sock"


class SidecarRuntime(ABC):
    """How one sidecar kind is prepared, started and cleaned up.

    The alloc runner calls prepare(), then runs command() as a process in its own
    process group under the task's restart policy, and calls close() after the
    process has been stopped for good.
    """

    kind: ClassVar[str]

    def __init__(self, spec: SidecarSpec):
        self.spec = spec

    @abstractmethod
    def prepare(self, timeout: float) -> None:
        """Write whatever the process needs before it starts (may wait for certificates)."""

    @abstractmethod
    def command(self) -> list[str]:
        """Return the argv of the sidecar process."""

    def env(self) -> dict[str, str]:
        """Extra environment for the sidecar process."""
        return {}

    def close(self) -> None:
        """Stop background work (watches); the process is already gone."""

    @classmethod
    def shutdown_kind(cls, data_dir: Path) -> None:
        """Stop what the agent's sidecars of this kind shared (it is shutting down, its sidecars are gone)."""
