"""Host ports for allocations: static ports checked free, dynamic ones from a range.

A bridge-mode group whose namespace devagent makes gets its ports on the bridge's gateway
address (devagent's host IP there), and each host port is held by a listening socket on
127.0.0.1 for as long as the allocation holds it: nothing on the host listens on a mapped
port (it is forwarded into the namespace), so without the hold another devagent or process
could take the same port.
"""

from __future__ import annotations

import random
import socket
import threading
from typing import Callable

from devagent.ports import is_port_free

DYNAMIC_RANGE = (20000, 32000)
LOOPBACK = "127.0.0.1"


class PortCollision(RuntimeError):
    """A static port is taken; str() names it like Nomad's dimension message."""


# Whether a server could listen on port now (TIME_WAIT leftovers do not count); kept under its old name.
listenable = is_port_free


def hold_port(port: int) -> socket.socket | None:
    """A listening socket on 127.0.0.1:port that keeps others from taking it; None if it is taken."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((LOOPBACK, port))
        sock.listen(1)
    except OSError:
        sock.close()
        return None
    return sock


class PortAllocator:
    """Hands out host ports and remembers which allocation holds each."""

    def __init__(self, host_ip: str = LOOPBACK, dynamic_range: tuple[int, int] = DYNAMIC_RANGE,
                 bridge_host_ip: Callable[[], str | None] = lambda: None):
        self.host_ip = host_ip
        self.low, self.high = dynamic_range
        self.bridge_host_ip = bridge_host_ip
        self._owners: dict[int, str] = {}
        self._holds: dict[int, socket.socket] = {}
        self._lock = threading.Lock()

    def allocate(self, networks: list[dict], owner: str, inherit: list[dict] = ()) -> list[dict]:
        """Ports for a group's networks as AllocatedPortMapping dicts, or PortCollision.

        inherit: the mappings of the allocation this one replaces. Its static ports pass to
        the new owner (the replacement starts only once the old one has stopped).
        """
        bridged = any((net.get("Mode") or "host") == "bridge" for net in networks)
        gateway = self.bridge_host_ip() if bridged else None
        host_ip = gateway or self.host_ip
        inheritable = {m["Value"] for m in inherit if self._owners.get(m["Value"]) is not None}
        with self._lock:
            taken: list[int] = []
            try:
                out = [self._static(p, owner, taken, inheritable, host_ip, bool(gateway))
                       for net in networks for p in net.get("ReservedPorts") or []]
                out += [self._dynamic(p, owner, taken, host_ip, bool(gateway))
                        for net in networks for p in net.get("DynamicPorts") or []]
            except PortCollision:
                for value in taken:
                    self._owners.pop(value, None)
                    self._drop_hold(value)
                raise
            return out

    def _static(self, port: dict, owner: str, taken: list[int], inheritable: set[int], host_ip: str,
                hold: bool) -> dict:
        value = int(port["Value"])
        if value in inheritable:
            self._owners[value] = owner
            if hold and value not in self._holds:
                self._take(value, owner, [], hold)
            return self._mapping(port, value, host_ip)
        if value in self._owners or not self._take(value, owner, taken, hold):
            raise PortCollision(f"network: reserved port collision {port['Label']}={value}")
        return self._mapping(port, value, host_ip)

    def _dynamic(self, port: dict, owner: str, taken: list[int], host_ip: str, hold: bool) -> dict:
        for _ in range(200):
            value = random.randint(self.low, self.high)
            if value not in self._owners and self._take(value, owner, taken, hold):
                return self._mapping(port, value, host_ip)
        raise PortCollision("network: dynamic port selection failed")

    def _take(self, value: int, owner: str, taken: list[int], hold: bool) -> bool:
        """Claim value for owner if it is free (holding it with a socket for a bridge group)."""
        if hold:
            sock = hold_port(value)
            if sock is None:
                return False
            self._holds[value] = sock
        elif not is_port_free(value, self.host_ip):
            return False
        self._owners[value] = owner
        taken.append(value)
        return True

    def _drop_hold(self, value: int) -> None:
        sock = self._holds.pop(value, None)
        if sock is not None:
            sock.close()

    @staticmethod
    def _mapping(port: dict, value: int, host_ip: str) -> dict:
        to = port.get("To") or 0
        return {"Label": port["Label"], "Value": value, "To": value if to == -1 else to, "HostIP": host_ip}

    def release(self, mappings: list[dict], owner: str) -> None:
        """Give back the ports owner still holds (inherited ones belong to the replacement)."""
        with self._lock:
            for mapping in mappings:
                if self._owners.get(mapping["Value"]) == owner:
                    del self._owners[mapping["Value"]]
                    self._drop_hold(mapping["Value"])
