"""Port maps as CNI's portmap plugin makes them: DNAT host ports into a namespace, masquerade what needs it.

Rules live only in this node's own chains (names.NetworkNames), reached by one jump each from
PREROUTING, OUTPUT, POSTROUTING and FORWARD, so removing them is exact.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from devagent.netns.commands import iptables, iptables_restore
from devagent.netns.names import NetworkNames

LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class PortForward:
    """One mapped port: host_port on the host goes to namespace_port inside the allocation."""

    host_port: int
    namespace_port: int


def base_rules(names: NetworkNames, bridge: str, subnet: str) -> str:
    """iptables-restore text for the node's chains and the jumps into them."""
    dnat, masq, fwd = names.dnat_chain, names.masquerade_chain, names.forward_chain
    return "\n".join([
        "*nat",
        f":{dnat} - [0:0]",
        f":{masq} - [0:0]",
        f"-A PREROUTING -m addrtype --dst-type LOCAL -j {dnat}",
        f"-A OUTPUT -m addrtype --dst-type LOCAL -j {dnat}",
        f"-A POSTROUTING -j {masq}",
        # Connections from the host's loopback (route_localnet) and hairpin connections from another
        # allocation must come back through the host to be un-NATed: masquerade both.
        f"-A {masq} -o {bridge} -s {LOOPBACK}/8 -m conntrack --ctstate DNAT -j MASQUERADE",
        f"-A {masq} -o {bridge} -s {subnet} -m conntrack --ctstate DNAT -j MASQUERADE",
        "COMMIT",
        "*filter",
        f":{fwd} - [0:0]",
        f"-A FORWARD -j {fwd}",
        f"-A {fwd} -i {bridge} -o {bridge} -j ACCEPT",
        "COMMIT",
        "",
    ])


def alloc_rules(names: NetworkNames, alloc_id: str, address: str, host_ips: list[str],
                forwards: list[PortForward]) -> str:
    """iptables-restore text for one allocation's chain: each host port on each host IP -> address:port."""
    chain = names.alloc_chain(alloc_id)
    lines = ["*nat", f":{chain} - [0:0]", f"-A {names.dnat_chain} -j {chain}"]
    for forward in forwards:
        for host_ip in host_ips:
            lines.append(f"-A {chain} -d {host_ip}/32 -p tcp -m tcp --dport {forward.host_port} "
                         f"-j DNAT --to-destination {address}:{forward.namespace_port}")
    lines += ["COMMIT", ""]
    return "\n".join(lines)


def add_base_rules(names: NetworkNames, bridge: str, subnet: str) -> None:
    """Create the node's chains and jumps."""
    iptables_restore(base_rules(names, bridge, subnet))


def add_alloc_rules(names: NetworkNames, alloc_id: str, address: str, host_ips: list[str],
                    forwards: list[PortForward]) -> None:
    """Map an allocation's ports (one atomic step)."""
    iptables_restore(alloc_rules(names, alloc_id, address, host_ips, forwards))


def remove_alloc_rules(names: NetworkNames, alloc_id: str) -> None:
    """Remove an allocation's jump and chain (gone already is fine)."""
    chain = names.alloc_chain(alloc_id)
    iptables("-t", "nat", "-D", names.dnat_chain, "-j", chain, check=False)
    iptables("-t", "nat", "-F", chain, check=False)
    iptables("-t", "nat", "-X", chain, check=False)


def remove_node_rules(names: NetworkNames) -> list[str]:
    """Remove every jump into and every chain of this node, in nat and filter; returns the chains removed."""
    removed = []
    for table in ("nat", "filter"):
        listing = iptables("-t", table, "-S", check=False).splitlines()
        for line in listing:
            words = shlex.split(line)
            if words[:1] == ["-A"] and "-j" in words and words[words.index("-j") + 1].startswith(names.chain_prefix) \
                    and not words[1].startswith(names.chain_prefix):
                iptables("-t", table, "-D", *words[1:], check=False)
        chains = [shlex.split(line)[1] for line in listing
                  if line.startswith("-N ") and shlex.split(line)[1].startswith(names.chain_prefix)]
        for chain in chains:
            iptables("-t", table, "-F", chain, check=False)
        for chain in chains:
            iptables("-t", table, "-X", chain, check=False)
        removed += [f"{table} chain {chain}" for chain in chains]
    return removed
