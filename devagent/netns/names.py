"""The names of one devagent's network objects, all derived from its node ID."""

from __future__ import annotations

from dataclasses import dataclass

LINK_PREFIX = "dvg"  # bridge and veths: Linux limits interface names to 15 characters
NAMESPACE_PREFIX = "devagent-"
CHAIN_PREFIX = "DVG-"


@dataclass(frozen=True)
class NetworkNames:
    """Bridge, veth, namespace and iptables chain names carrying one node's tag."""

    tag: str  # 8 hex characters of the node ID

    @classmethod
    def for_node(cls, node_id: str) -> "NetworkNames":
        """The names of the node with this ID."""
        return cls(node_id.replace("-", "").lower()[:8])

    @property
    def bridge(self) -> str:
        """The bridge every allocation's veth joins (Nomad's is `nomad`; one per devagent here)."""
        return f"{LINK_PREFIX}{self.tag}"

    def veth(self, slot: int) -> str:
        """Host side of the veth of the allocation using address slot `slot`."""
        return f"{LINK_PREFIX}{self.tag}v{slot}"

    @property
    def namespace_prefix(self) -> str:
        """Every namespace of this node starts with this."""
        return f"{NAMESPACE_PREFIX}{self.tag}-"

    def namespace(self, alloc_id: str) -> str:
        """The named network namespace of an allocation (/run/netns/<name>)."""
        return f"{self.namespace_prefix}{alloc_id}"

    @property
    def chain_prefix(self) -> str:
        """Every iptables chain of this node starts with this."""
        return f"{CHAIN_PREFIX}{self.tag}-"

    @property
    def dnat_chain(self) -> str:
        """nat chain jumped to from PREROUTING and OUTPUT: one jump per allocation."""
        return f"{self.chain_prefix}DNAT"

    @property
    def masquerade_chain(self) -> str:
        """nat chain jumped to from POSTROUTING: source NAT for localhost and hairpin traffic."""
        return f"{self.chain_prefix}MASQ"

    @property
    def forward_chain(self) -> str:
        """filter chain jumped to from FORWARD: traffic between the bridge's allocations."""
        return f"{self.chain_prefix}FWD"

    def alloc_chain(self, alloc_id: str) -> str:
        """nat chain holding one allocation's port maps (iptables allows 28 characters: 15 of the ID fit)."""
        return f"{self.chain_prefix}{alloc_id.replace('-', '')[:28 - len(self.chain_prefix)]}"
