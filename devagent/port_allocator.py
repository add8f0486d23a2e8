"""Host ports for allocations: static ports checked free, dynamic ones from a range."""

from __future__ import annotations

import random
import threading

from devagent.ports import is_port_free

DYNAMIC_RANGE = (20000, 32000)


class PortCollision(RuntimeError):
    """A static port is taken; str() names it like Nomad's dimension message."""


# Whether a server could listen on port now (TIME_WAIT leftovers do not count); kept under its old name.
listenable = is_port_free


class PortAllocator:
    """Hands out loopback host ports and remembers which allocation holds each."""

    def __init__(self, host_ip: str = "127.0.0.1", dynamic_range: tuple[int, int] = DYNAMIC_RANGE):
        self.host_ip = host_ip
        self.low, self.high = dynamic_range
        self._owners: dict[int, str] = {}
        self._lock = threading.Lock()

    def allocate(self, networks: list[dict], owner: str, inherit: list[dict] = ()) -> list[dict]:
        """Ports for a group's networks as AllocatedPortMapping dicts, or PortCollision.

        inherit: the mappings of the allocation this one replaces. Its static ports pass to
        the new owner (the replacement starts only once the old one has stopped).
        """
        inheritable = {m["Value"] for m in inherit if self._owners.get(m["Value"]) is not None}
        with self._lock:
            taken: list[int] = []
            try:
                out = [self._static(p, owner, taken, inheritable) for net in networks for p in net.get("ReservedPorts") or []]
                out += [self._dynamic(p, owner, taken) for net in networks for p in net.get("DynamicPorts") or []]
            except PortCollision:
                for value in taken:
                    self._owners.pop(value, None)
                raise
            return out

    def _static(self, port: dict, owner: str, taken: list[int], inheritable: set[int]) -> dict:
        value = int(port["Value"])
        if value in inheritable:
            self._owners[value] = owner
            return self._mapping(port, value)
        if value in self._owners or not is_port_free(value, self.host_ip):
            raise PortCollision(f"network: reserved port collision {port['Label']}={value}")
        self._hold(value, owner, taken)
        return self._mapping(port, value)

    def _dynamic(self, port: dict, owner: str, taken: list[int]) -> dict:
        for _ in range(200):
            value = random.randint(self.low, self.high)
            if value not in self._owners and is_port_free(value, self.host_ip):
                self._hold(value, owner, taken)
                return self._mapping(port, value)
        raise PortCollision("network: dynamic port selection failed")

    def _hold(self, value: int, owner: str, taken: list[int]) -> None:
        self._owners[value] = owner
        taken.append(value)

    def _mapping(self, port: dict, value: int) -> dict:
        to = port.get("To") or 0
        return {"Label": port["Label"], "Value": value, "To": value if to == -1 else to, "HostIP": self.host_ip}

    def release(self, mappings: list[dict], owner: str) -> None:
        """Give back the ports owner still holds (inherited ones belong to the replacement)."""
        with self._lock:
            for mapping in mappings:
                if self._owners.get(mapping["Value"]) == owner:
                    del self._owners[mapping["Value"]]
