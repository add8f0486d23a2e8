"""One allocation's network, as Nomad's network hook and consul_http_socket hook make it (bridge mode)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from devagent.gostrconv import atoi
from devagent.jobmodel import group_services, sidecar_service
from devagent.netns.manager import BridgeNetworking
from devagent.netns.namespace import AllocNamespace
from devagent.netns.portmap import PortForward
from devagent.netns.socket_proxy import UnixSocketProxy
from devagent.taskenv import NetworkStatus, PortMapping

CONSUL_HTTP_SOCKET = "consul_http.sock"  # in <alloc dir>/alloc/tmp, as Nomad names it
MAX_SOCKET_PATH = 100  # sun_path holds 108 bytes


def network_mode(group: dict) -> str:
    """The group network's mode: "bridge" or "host" (Nomad's default)."""
    networks = group.get("Networks") or []
    return (networks[0].get("Mode") or "host") if networks else "host"


def port_forwards(ports: list[PortMapping]) -> list[PortForward]:
    """Every allocated port, host value -> `to` (or the same number when `to` is unset), as Nomad maps them."""
    return [PortForward(p.value, p.to if p.to > 0 else p.value) for p in ports]


def expose_forwards(group: dict, ports: list[PortMapping]) -> list[PortForward]:
    """Expose-path ports -> the app's port on the namespace's loopback (for sidecars without expose listeners)."""
    by_label = {p.label: p for p in ports}
    forwards = []
    for service in group_services(group):
        proxy = (sidecar_service(service) or {}).get("Proxy") or {}
        for path in (proxy.get("Expose") or {}).get("Paths") or []:
            listener = by_label.get(str(path.get("ListenerPort") or ""))
            local = path.get("LocalPathPort") or _service_port(service, by_label)
            if listener is not None and local:
                forwards.append(PortForward(listener.to if listener.to > 0 else listener.value, int(local)))
    return forwards


def _service_port(service: dict, by_label: dict[str, PortMapping]) -> int:
    label = service.get("PortLabel") or ""
    mapping = by_label.get(label)
    if mapping is not None:
        return mapping.to or mapping.value
    port, ok = atoi(label)
    return port if ok and port > 0 else 0


class AllocNetwork:
    """The namespace of one allocation and the unix sockets its sidecars use to reach the host."""

    def __init__(self, networking: BridgeNetworking, alloc_id: str, alloc_dir: Path):
        self.networking = networking
        self.alloc_id = alloc_id
        self.alloc_dir = alloc_dir
        self.namespace: AllocNamespace | None = None
        self._proxies: list[UnixSocketProxy] = []

    def setup(self, group: dict, ports: list[PortMapping], expose_listener: bool) -> NetworkStatus:
        """Create the namespace and map the ports (NetworkError on failure)."""
        loopback = [] if expose_listener else expose_forwards(group, ports)
        self.namespace = self.networking.setup(self.alloc_id, port_forwards(ports), loopback)
        return NetworkStatus(self.namespace.interface, self.namespace.address)

    @property
    def name(self) -> str:
        """The namespace name ("" before setup)."""
        return self.namespace.name if self.namespace else ""

    def consul_http_socket(self, consul_addr: str) -> str:
        """A unix socket path that reaches Consul's HTTP API, served from now until close()."""
        path = self.alloc_dir / "alloc" / "tmp" / CONSUL_HTTP_SOCKET
        if len(str(path)) > MAX_SOCKET_PATH:
            short_name = f"{self.networking.names.namespace(self.alloc_id)}-{CONSUL_HTTP_SOCKET}"
            path = Path(tempfile.gettempdir()) / short_name
        existing = next((p for p in self._proxies if p.path == path), None)
        if existing is None:
            host, _, port = consul_addr.rpartition(":")
            self._proxies.append(UnixSocketProxy(path, (host or "127.0.0.1", int(port))).start())
        return str(path)

    def close(self) -> None:
        """Stop the sockets and remove the namespace (tasks are gone by now)."""
        for proxy in self._proxies:
            proxy.close()
        self._proxies.clear()
        if self.namespace is not None:
            self.networking.teardown(self.namespace)
            self.namespace = None
