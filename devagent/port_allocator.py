"""Host ports for allocations: static ports checked free, dynamic ones from a range."""

from __future__ import annotations

import random
import threading

from devagent.ports import is_port_free

DYNAMIC_RANGE = (20000, 32000)


class PortCollision(RuntimeError):
    """A static port is taken; str() names it like Nomad's dimension message."""


class PortAllocator:
    """Hands out loopback host ports and remembers which live allocations hold them."""

    def __init__(self, host_ip: str = "127.0.0.1", dynamic_range: tuple[int, int] = DYNAMIC_RANGE):
        self.host_ip = host_ip
        self.low, self.high = dynamic_range
        self._held: set[int] = set()
        self._lock = threading.Lock()

    def allocate(self, networks: list[dict]) -> list[dict]:
        """Ports for a group's networks as AllocatedPortMapping dicts, or PortCollision."""
        with self._lock:
            taken: list[int] = []
            try:
                out = [self._static(p, taken) for net in networks for p in net.get("ReservedPorts") or []]
                out += [self._dynamic(p, taken) for net in networks for p in net.get("DynamicPorts") or []]
            except PortCollision:
                self._held.difference_update(taken)
                raise
            return out

    def _static(self, port: dict, taken: list[int]) -> dict:
        value = int(port["Value"])
        if value in self._held or not is_port_free(value, self.host_ip):
            raise PortCollision(f"network: reserved port collision {port['Label']}={value}")
        self._hold(value, taken)
        return self._mapping(port, value)

    def _dynamic(self, port: dict, taken: list[int]) -> dict:
        for _ in range(200):
            value = random.randint(self.low, self.high)
            if value not in self._held and is_port_free(value, self.host_ip):
                self._hold(value, taken)
                return self._mapping(port, value)
        raise PortCollision("network: dynamic port selection failed")

    def _hold(self, value: int, taken: list[int]) -> None:
        self._held.add(value)
        taken.append(value)

    def _mapping(self, port: dict, value: int) -> dict:
        to = port.get("To") or 0
        return {"Label": port["Label"], "Value": value, "To": value if to == -1 else to, "HostIP": self.host_ip}

    def release(self, mappings: list[dict]) -> None:
        """Give an allocation's ports back."""
        with self._lock:
            self._held.difference_update(m["Value"] for m in mappings)

    def hold_existing(self, mappings: list[dict]) -> None:
        """Mark ports of an existing allocation as held."""
        with self._lock:
            self._held.update(m["Value"] for m in mappings)
