"""Consul >= 1.9's service-intentions config entries: read, merge, write with cas."""

from __future__ import annotations

from deployer.clients import check_consul_response
from deployer.errors import DeployerError
from deployer.intentions.model import MANAGED_BY, Intention

KIND = "service-intentions"
# Source intentions in a config entry have no Meta: ours say so in their Description.
MANAGED_DESCRIPTION = f"managed_by={MANAGED_BY}"
CAS_ATTEMPTS = 5


class ConfigEntryIntentions:
    """One config entry per destination; its Sources list is replaced whole on every write."""

    api_name = "service-intentions config entries (Consul >= 1.9)"

    def __init__(self, clients):
        self.clients = clients
        self.http = clients.consul_http

    def list(self) -> list[Intention]:
        """Every source intention of every entry, flattened to pairs."""
        entries = self.http.get_json(f"/v1/config/{KIND}") or []
        found = [_from_source(entry["Name"], source) for entry in entries for source in entry.get("Sources") or []]
        return sorted(found, key=lambda i: i.key)

    def create(self, intention: Intention) -> None:
        """Add a managed source to the destination's entry."""
        self._edit(intention.destination, lambda sources: _replace(sources, intention.source, intention.action))

    def update(self, current: Intention, action: str) -> None:
        """Change a source's action (and mark it as ours)."""
        self._edit(current.destination, lambda sources: _replace(sources, current.source, action))

    def delete(self, current: Intention) -> None:
        """Remove one source; delete the entry when no source is left."""
        self._edit(current.destination,
                   lambda sources: [s for s in sources if s.get("Name") != current.source])

    def check(self, source: str, destination: str) -> bool:
        """Consul's own answer (control plane) for source -> destination."""
        answer = self.http.get_json("/v1/connect/intentions/check",
                                    params={"source": source, "destination": destination})
        return bool(answer and answer.get("Allowed"))

    def _edit(self, destination: str, change) -> None:
        """Read the entry, apply change to its Sources, write it back with cas; retry on a race."""
        for _ in range(CAS_ATTEMPTS):
            entry = self.http.get_json(f"/v1/config/{KIND}/{destination}")
            index = entry.get("ModifyIndex", 0) if entry else 0
            sources = change([dict(s) for s in (entry or {}).get("Sources") or []])
            if sources:
                body = {"Kind": KIND, "Name": destination, "Sources": sources}
                if entry and entry.get("Meta"):
                    body["Meta"] = entry["Meta"]
                response = self.http.request("PUT", "/v1/config", params={"cas": index}, json=body)
            elif entry:
                response = self.http.request("DELETE", f"/v1/config/{KIND}/{destination}", params={"cas": index})
            else:
                return
            check_consul_response(response, f"write {KIND}/{destination}")
            if _cas_succeeded(response):
                return
        raise DeployerError(f"{KIND}/{destination} kept changing while we wrote it",
                            hint="someone else is editing intentions; run the command again")


def _cas_succeeded(response) -> bool:
    """PUT/DELETE with cas answer `true` or `false`; an empty body means done."""
    text = response.text.strip()
    return text != "false"


def _replace(sources: list[dict], name: str, action: str) -> list[dict]:
    """Sources with `name` set to action and marked managed, keeping its place in the list."""
    wanted = {"Name": name, "Action": action, "Type": "consul", "Description": MANAGED_DESCRIPTION}
    out, found = [], False
    for source in sources:
        if source.get("Name") == name:
            kept = {k: v for k, v in source.items() if k in ("Namespace", "Partition", "Peer")}
            out.append({**kept, **wanted})
            found = True
        else:
            out.append(source)
    return out if found else out + [wanted]


def _from_source(destination: str, source: dict) -> Intention:
    legacy_meta = source.get("LegacyMeta") or {}
    managed = source.get("Description") == MANAGED_DESCRIPTION or legacy_meta.get("managed_by") == MANAGED_BY
    action = source.get("Action") or ("permissions" if source.get("Permissions") else "")
    return Intention(source["Name"], destination, action, managed=managed)
