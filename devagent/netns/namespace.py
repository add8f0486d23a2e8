"""One allocation's network namespace: loopback up, a veth into the bridge, an address and a default route."""

from __future__ import annotations

from dataclasses import dataclass

from devagent.netns.bridge import BridgeInfo
from devagent.netns.commands import NetworkError, ip, run, set_interface_sysctl
from devagent.netns.names import NetworkNames

INTERFACE = "eth0"  # Nomad's bridge mode names the allocation's interface eth0 as well


@dataclass(frozen=True)
class AllocNamespace:
    """A namespace that exists, and how it is reached."""

    alloc_id: str
    name: str
    veth: str
    slot: int
    address: str
    interface: str = INTERFACE


def create_namespace(names: NetworkNames, bridge: BridgeInfo, alloc_id: str, slot: int) -> AllocNamespace:
    """Create the namespace, join it to the bridge; on failure remove what was made and raise."""
    ns = AllocNamespace(alloc_id, names.namespace(alloc_id), names.veth(slot), slot, bridge.address(slot))
    try:
        ip("netns", "add", ns.name)
        ip("-n", ns.name, "link", "set", "lo", "up")
        ip("link", "add", ns.veth, "type", "veth", "peer", "name", ns.interface, "netns", ns.name)
        ip("link", "set", ns.veth, "master", bridge.name, "up")
        ip("-n", ns.name, "addr", "add", f"{ns.address}/{bridge.subnet.prefixlen}", "dev", ns.interface)
        ip("-n", ns.name, "link", "set", ns.interface, "up")
        ip("-n", ns.name, "route", "add", "default", "via", bridge.gateway)
    except NetworkError:
        remove_namespace(ns.name, ns.veth, ns.address, bridge.name)
        raise
    return ns


def forward_to_loopback(ns: AllocNamespace, port: int, loopback_port: int) -> None:
    """Inside the namespace, send connections to <address>:port on to 127.0.0.1:loopback_port.

    Stands in for an expose-path listener where the sidecar kind has none (Consul's built-in proxy).
    """
    set_interface_sysctl(ns.interface, "route_localnet", "1", namespace=ns.name)
    run(["ip", "netns", "exec", ns.name, "iptables", "-w", "10", "-t", "nat", "-A", "PREROUTING",
         "-i", ns.interface, "-p", "tcp", "-m", "tcp", "--dport", str(port),
         "-j", "DNAT", "--to-destination", f"127.0.0.1:{loopback_port}"])


def remove_namespace(name: str, veth: str = "", address: str = "", bridge: str = "") -> None:
    """Delete the namespace, the host side of its veth and the host's neighbour entry for it (gone is fine)."""
    ip("netns", "del", name, check=False)
    if veth:
        ip("link", "del", veth, check=False)
    if address and bridge:
        ip("neigh", "del", address, "dev", bridge, check=False)


def list_namespaces(prefix: str) -> list[str]:
    """Named namespaces whose names start with prefix."""
    out = ip("netns", "list", check=False)
    return [line.split()[0] for line in out.splitlines() if line.split() and line.split()[0].startswith(prefix)]


def list_links(prefix: str) -> list[str]:
    """Host interfaces whose names start with prefix."""
    out = ip("-o", "link", "show", check=False)
    links = []
    for line in out.splitlines():
        parts = line.split(":", 2)
        if len(parts) >= 2:
            name = parts[1].strip().split("@", 1)[0]
            if name.startswith(prefix):
                links.append(name)
    return links
