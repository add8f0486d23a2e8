"""Consul 1.8's ID-based intentions API (/v1/connect/intentions), via python-consul2."""

from __future__ import annotations

from deployer.errors import DeployerError
from deployer.intentions.model import Intention
from deployer.ownership import MANAGED_BY, managed_meta, owner_of


class LegacyIntentions:
    """Reads and writes intentions one ID at a time; ours carry Meta managed_by=deployer."""

    api_name = "legacy intentions API (Consul < 1.9)"

    def __init__(self, clients):
        self.clients = clients
        self.api = clients.consul.connect.intentions

    def list(self) -> list[Intention]:
        """Every intention in Consul, marked managed when its Meta says it is ours."""
        raw = self.clients.consul_call("list intentions", self.api.list)
        # python-consul2 answers a 404 with a tuple (index, None), not with None.
        if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
            raise DeployerError("Consul has no intentions list at /v1/connect/intentions",
                                hint="point --consul-addr at a Consul agent (>= 1.8) with Connect enabled")
        return sorted((_from_consul(item) for item in raw), key=lambda i: i.key)

    def create(self, intention: Intention) -> None:
        """Create a managed intention."""
        try:
            self.clients.consul_call(f"create intention {intention.pair}", self.api.create, intention.source,
                                     intention.destination, "consul", intention.action,
                                     meta=managed_meta())
        except DeployerError as exc:
            if "duplicate intention" not in exc.message:
                raise
            raise DeployerError(f"intention {intention.pair} already exists",
                                hint="someone changed intentions meanwhile; run the command again") from exc

    def update(self, current: Intention, action: str) -> None:
        """Change an existing intention's action and mark it as ours."""
        self.clients.consul_call(f"update intention {current.pair}", self.api.put, current.ref,
                                 source_name=current.source, destination_name=current.destination,
                                 source_type="consul", action=action, meta=managed_meta())

    def delete(self, current: Intention) -> None:
        """Delete one intention by its ID."""
        self.clients.consul_call(f"delete intention {current.pair}", self.api.delete, current.ref)

    def check(self, source: str, destination: str) -> bool:
        """Consul's own answer (control plane) for source -> destination."""
        answer = self.clients.consul_call("check intention", self.api.check, source, destination)
        return bool(answer and answer.get("Allowed"))


def _from_consul(item: dict) -> Intention:
    meta = item.get("Meta") or {}
    return Intention(item["SourceName"], item["DestinationName"], item.get("Action", ""),
                     managed=owner_of(meta) == MANAGED_BY, ref=item.get("ID"))
