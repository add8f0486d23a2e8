"""The devagent bridge: a /24 of Nomad's 172.26.64.0/20 chosen under a host-wide lock, its gateway address."""

from __future__ import annotations

import fcntl
import ipaddress
import os
import re
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from devagent.netns.commands import NetworkError, ip, set_interface_sysctl
from devagent.netns.names import LINK_PREFIX, NetworkNames
from devagent.process_ledger import process_start_ticks

NOMAD_ALLOC_SUBNET = ipaddress.ip_network("172.26.64.0/20")  # Nomad's bridge_network_subnet default
BRIDGE_PREFIX_LENGTH = 24  # one /24 per devagent: 16 devagents fit, each with 253 allocations
SYS_NET = Path("/sys/class/net")
OWNER_ALIAS = re.compile(r"^devagent pid=(\d+) start=(\d+)$")  # a bridge's ifalias names the devagent that made it


@dataclass(frozen=True)
class BridgeInfo:
    """A bridge that exists: its name, subnet and the host's (gateway) address on it."""

    name: str
    subnet: ipaddress.IPv4Network

    @property
    def gateway(self) -> str:
        """The host's address on the bridge: the allocations' default route and devagent's host IP."""
        return str(self.subnet.network_address + 1)

    def address(self, slot: int) -> str:
        """The allocation address of a slot (2..254)."""
        return str(self.subnet.network_address + slot)


def lock_path() -> Path:
    """One lock file for every devagent on the host (they pick subnets one at a time)."""
    run_lock = Path("/run/lock")
    return (run_lock if run_lock.is_dir() else Path(tempfile.gettempdir())) / "devagent-bridges.lock"


@contextmanager
def host_lock():
    """Hold the host-wide bridge lock."""
    with open(lock_path(), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def networks_in_use() -> list[ipaddress.IPv4Network]:
    """Every IPv4 network the host has an address in or a route to."""
    used = []
    for line in ip("-4", "-o", "addr", "show").splitlines():
        fields = line.split()
        if "inet" in fields:
            used.append(ipaddress.ip_interface(fields[fields.index("inet") + 1]).network)
    for line in ip("-4", "route", "show", "table", "all").splitlines():
        destination = line.split()[0] if line.split() else ""
        if destination[:1].isdigit():
            used.append(ipaddress.ip_network(destination, strict=False))
    return used


def choose_subnet(used: list[ipaddress.IPv4Network], pool=NOMAD_ALLOC_SUBNET,
                  prefix_length: int = BRIDGE_PREFIX_LENGTH) -> ipaddress.IPv4Network | None:
    """The first /24 of the pool that overlaps nothing in use, or None."""
    for candidate in pool.subnets(new_prefix=prefix_length):
        if not any(candidate.overlaps(net) for net in used if net.prefixlen > 0):
            return candidate
    return None


def owner_alias(pid: int | None = None) -> str:
    """The ifalias that marks a bridge as made by this process (pid and start time, as the process ledger keeps)."""
    pid = pid or os.getpid()
    return f"devagent pid={pid} start={process_start_ticks(pid)}"


def abandoned_tags(own: NetworkNames) -> list[str]:
    """Tags of devagent bridges whose maker is gone (its pid no longer has the recorded start time)."""
    tags = []
    for link in SYS_NET.glob(f"{LINK_PREFIX}*"):
        tag = link.name[len(LINK_PREFIX):]
        if len(tag) != len(own.tag) or tag == own.tag:
            continue  # a veth (longer name), or ours
        try:
            alias = (link / "ifalias").read_text().strip()
        except OSError:
            continue
        owner = OWNER_ALIAS.match(alias)
        if owner and process_start_ticks(int(owner.group(1))) != int(owner.group(2)):
            tags.append(tag)
    return tags


def create_bridge(names: NetworkNames, reap=None) -> BridgeInfo:
    """Create this node's bridge on a free subnet, up, with the sysctls port mapping needs.

    reap(tag) is called first for each bridge whose devagent died without a restart (its subnet is freed).
    """
    with host_lock():
        for tag in abandoned_tags(names) if reap else []:
            reap(tag)
        subnet = choose_subnet(networks_in_use())
        if subnet is None:
            raise NetworkError(f"no free /{BRIDGE_PREFIX_LENGTH} left in {NOMAD_ALLOC_SUBNET} for a devagent bridge")
        bridge = BridgeInfo(names.bridge, subnet)
        ip("link", "add", "name", bridge.name, "type", "bridge")
        try:
            ip("addr", "add", f"{bridge.gateway}/{subnet.prefixlen}", "dev", bridge.name)
            ip("link", "set", bridge.name, "alias", owner_alias())
            ip("link", "set", bridge.name, "up")
            # 127.0.0.1 sources may leave through the bridge (then masqueraded), as CNI's portmap allows.
            set_interface_sysctl(bridge.name, "route_localnet", "1")
            # Hairpin: allocation -> host port -> another allocation is routed back out of the bridge.
            set_interface_sysctl(bridge.name, "forwarding", "1")
        except NetworkError:
            remove_bridge(bridge.name)
            raise
    return bridge


def remove_bridge(name: str) -> None:
    """Delete a bridge (gone already is fine)."""
    ip("link", "del", name, check=False)
