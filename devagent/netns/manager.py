"""BridgeNetworking: one devagent's bridge, address slots and allocation namespaces, or why there are none."""

from __future__ import annotations

import threading
from typing import Callable

from devagent.netns.bridge import BridgeInfo, create_bridge, remove_bridge
from devagent.netns.cleanup import remove_node_objects
from devagent.netns.commands import NetworkError
from devagent.netns.names import NetworkNames
from devagent.netns.namespace import AllocNamespace, create_namespace, forward_to_loopback, remove_namespace
from devagent.netns.portmap import (LOOPBACK, PortForward, add_alloc_rules, add_base_rules, remove_alloc_rules,
                                    remove_node_rules)
from devagent.netns.support import unavailable_reason

FIRST_SLOT, LAST_SLOT = 2, 254  # .1 is the gateway
DISABLED = "turned off by -no-network-namespaces"


class BridgeNetworking:
    """Namespaces for bridge-mode allocations; the bridge is made on first use and removed at shutdown."""

    def __init__(self, node_id: str, log: Callable[[str], None], enabled: bool = True):
        self.names = NetworkNames.for_node(node_id)
        self.log = log
        self.unavailable: str | None = None if enabled else DISABLED
        self.bridge: BridgeInfo | None = None
        self._slots: set[int] = set()
        self._last_slot = FIRST_SLOT - 1
        self._lock = threading.Lock()

    @property
    def available(self) -> bool:
        """Whether bridge-mode groups get namespaces (else they run in host mode)."""
        return self.unavailable is None

    def start(self) -> list[str]:
        """Check the host once and remove what a previous run of this node left; returns what was removed."""
        reason = unavailable_reason(self.names)
        removed = remove_node_objects(self.names) if reason is None else []
        if self.unavailable is not None or reason is not None:
            self._disable(self.unavailable or reason)  # said once, at start
        return removed

    def _disable(self, reason: str) -> None:
        self.unavailable = reason
        self.log(f"no network namespaces: {reason}; bridge-mode groups run in host mode "
                 f"(every port a 127.0.0.1 host port)")

    def host_ip(self) -> str | None:
        """The host address of bridge-mode ports (the bridge's gateway), made on first use; None if unavailable."""
        with self._lock:
            if self.unavailable is not None:
                return None
            if self.bridge is None:
                try:
                    bridge = create_bridge(self.names, reap=self._reap_abandoned)
                    try:
                        add_base_rules(self.names, bridge.name, str(bridge.subnet))
                    except NetworkError:
                        remove_node_rules(self.names)
                        remove_bridge(bridge.name)
                        raise
                except NetworkError as exc:
                    self._disable(str(exc))
                    return None
                self.bridge = bridge
                self.log(f"bridge {bridge.name} on {bridge.subnet} (gateway {bridge.gateway}) for bridge-mode groups")
            return self.bridge.gateway

    def _reap_abandoned(self, tag: str) -> None:
        """Remove what a devagent that died (and was never restarted) left: it can no longer do it itself."""
        removed = remove_node_objects(NetworkNames(tag))
        self.log(f"removed the network of a devagent that is gone: {', '.join(removed)}")

    def setup(self, alloc_id: str, forwards: list[PortForward],
              loopback_forwards: list[PortForward] = ()) -> AllocNamespace:
        """Create an allocation's namespace and map its ports; NetworkError if anything fails (nothing is left)."""
        if self.host_ip() is None:
            raise NetworkError(f"no network namespaces: {self.unavailable}")
        with self._lock:
            free = self._next_free_slot()
            if free is None:
                raise NetworkError(f"bridge {self.bridge.name} has no free address left")
            self._slots.add(free)
            self._last_slot = free
        try:
            ns = create_namespace(self.names, self.bridge, alloc_id, free)
        except NetworkError:
            self._release(free)
            raise
        try:
            add_alloc_rules(self.names, alloc_id, ns.address, [LOOPBACK, self.bridge.gateway], forwards)
            for forward in loopback_forwards:
                forward_to_loopback(ns, forward.host_port, forward.namespace_port)
        except NetworkError:
            self.teardown(ns)
            raise
        return ns

    def _next_free_slot(self) -> int | None:
        """The next free address after the last one given, wrapping (as CNI's host-local IPAM does).

        Reusing an address at once would meet the host's neighbour entry for the old interface.
        """
        count = LAST_SLOT - FIRST_SLOT + 1
        for step in range(1, count + 1):
            slot = FIRST_SLOT + (self._last_slot - FIRST_SLOT + step) % count
            if slot not in self._slots:
                return slot
        return None

    def teardown(self, ns: AllocNamespace) -> None:
        """Remove an allocation's port maps and namespace, and free its address."""
        remove_alloc_rules(self.names, ns.alloc_id)
        remove_namespace(ns.name, ns.veth, ns.address, self.bridge.name if self.bridge else "")
        self._release(ns.slot)

    def _release(self, slot: int) -> None:
        with self._lock:
            self._slots.discard(slot)

    def shutdown(self) -> list[str]:
        """Remove everything of this node (the allocations have stopped); returns what was removed."""
        with self._lock:
            if self.bridge is None:
                return []
            self.bridge = None
        return remove_node_objects(self.names)
