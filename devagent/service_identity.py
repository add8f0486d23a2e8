"""Service identity tokens for Connect sidecars, as Nomad's consul_si_token hook derives them.

Only when devagent itself has a Consul token (Nomad enables the hook only with consul.token set):
each sidecar task gets a local token with its service's identity and nothing else, written to
secrets/si_token (0440, as Nomad writes it); the tokens are deleted when the allocation stops.
The description's cluster is devagent's node ID (devagent is a one-node cluster), so a restart
can find and delete the tokens its previous run left without touching another devagent's.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from devagent.consul_acl import SI_DESCRIPTION, ConsulACL
from devagent.consul_client import ConsulError

HOOK_FAILED_EVENT = "Task hook failed"  # Nomad's structs.TaskHookFailed
HOOK_NAME = "consul_si_token"  # Nomad's hook name, the prefix of its "Task hook failed" message
TOKEN_FILE = "si_token"
TOKEN_FILE_MODE = 0o440


class ServiceIdentityError(RuntimeError):
    """Consul would not create a sidecar's token."""


class ServiceIdentities:
    """The service identity tokens of one allocation."""

    def __init__(self, consul_addr: str, agent_token: str, alloc_id: str, cluster: str):
        self.acl = ConsulACL(consul_addr, agent_token)
        self.alloc_id = alloc_id
        self.cluster = cluster
        self._accessors: list[str] = []
        self._lock = threading.Lock()

    def derive(self, service: str, task: str, secrets_dir: Path) -> str:
        """A token with only `service`'s identity for the sidecar task, also left in its secrets dir."""
        try:
            token = self.acl.service_identity_token(service, self.alloc_id, task, self.cluster)
        except ConsulError as exc:
            raise ServiceIdentityError(f"{HOOK_NAME}: failed to derive SI token: {exc}") from exc
        with self._lock:
            self._accessors.append(token.accessor)
        path = Path(secrets_dir) / TOKEN_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            os.chmod(path, 0o600)  # a restart's new token replaces the read-only file
        path.write_text(token.secret)
        os.chmod(path, TOKEN_FILE_MODE)
        return token.secret

    def revoke_all(self) -> list[str]:
        """Delete every token derived for this allocation; returns the failures, one line each."""
        with self._lock:
            accessors, self._accessors = self._accessors, []
        failures = []
        for accessor in accessors:
            try:
                self.acl.delete_token(accessor)
            except ConsulError as exc:
                failures.append(f"revoke SI token {accessor}: {exc}")
        return failures


def revoke_leftovers(consul_addr: str, agent_token: str, cluster: str) -> list[str]:
    """Delete the service identity tokens an earlier run of this devagent left; returns their descriptions."""
    acl = ConsulACL(consul_addr, agent_token)
    prefix = SI_DESCRIPTION.split("[", 1)[0] + f"[{cluster}] "
    try:
        leftovers = [t for t in acl.tokens() if (t.get("Description") or "").startswith(prefix)]
        for token in leftovers:
            acl.delete_token(token["AccessorID"])
    except ConsulError:
        return []
    return [t["Description"] for t in leftovers]
