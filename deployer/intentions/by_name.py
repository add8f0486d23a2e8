"""Consul >= 1.9's intentions by name (/v1/connect/intentions/exact); Consul keeps them in config entries."""

from __future__ import annotations

from deployer.clients import check_consul_response
from deployer.errors import DeployerError
from deployer.intentions.model import Intention
from deployer.ownership import MANAGED_BY, MANAGED_DESCRIPTION, owner_of

EXACT = "/v1/connect/intentions/exact"


class NamedIntentions:
    """Reads the list, writes and deletes one source -> destination pair at a time; Consul merges."""

    api_name = "intentions by name (Consul >= 1.9)"

    def __init__(self, clients):
        self.clients = clients
        self.http = clients.consul_http

    def list(self) -> list[Intention]:
        """Every intention Consul knows, ours marked as managed."""
        raw = self.http.get_json("/v1/connect/intentions")
        if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
            raise DeployerError("Consul has no intentions list at /v1/connect/intentions",
                                hint="point --consul-addr at a Consul agent with Connect enabled")
        return sorted((_from_consul(item) for item in raw), key=lambda i: i.key)

    def create(self, intention: Intention) -> None:
        """Write a managed intention for the pair (Consul replaces whatever the pair had)."""
        self._upsert(intention.source, intention.destination, intention.action)

    def update(self, current: Intention, action: str) -> None:
        """Change the pair's action and mark it as ours."""
        self._upsert(current.source, current.destination, action)

    def delete(self, current: Intention) -> None:
        """Delete the pair's intention; Consul drops the config entry when no source is left."""
        response = self.http.request("DELETE", EXACT, params=_pair(current.source, current.destination))
        check_consul_response(response, f"delete intention {current.pair}")

    def check(self, source: str, destination: str) -> bool:
        """Consul's own answer (control plane) for source -> destination."""
        answer = self.http.get_json("/v1/connect/intentions/check", params=_pair(source, destination))
        return bool(answer and answer.get("Allowed"))

    def _upsert(self, source: str, destination: str, action: str) -> None:
        body = {"SourceType": "consul", "Action": action, "Description": MANAGED_DESCRIPTION}
        response = self.http.request("PUT", EXACT, params=_pair(source, destination), json=body)
        check_consul_response(response, f"write intention {source} -> {destination}")
        if response.text.strip() == "false":
            raise DeployerError(f"Consul did not write intention {source} -> {destination}",
                                hint="run the command again; `deployer intentions list` shows what is there")


def _pair(source: str, destination: str) -> dict:
    return {"source": source, "destination": destination}


def _from_consul(item: dict) -> Intention:
    legacy_meta = item.get("LegacyMeta") or item.get("Meta")
    managed = item.get("Description") == MANAGED_DESCRIPTION or owner_of(legacy_meta) == MANAGED_BY
    action = item.get("Action") or ("permissions" if item.get("Permissions") else "")
    return Intention(item["SourceName"], item["DestinationName"], action, managed=managed,
                     ref=item.get("ID") or None)
