"""Consul's ACL system over HTTP: bootstrap, policies from files, tokens, service identity tokens."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from devagent.consul_client import ConsulClient, ConsulError

CHECKOUT = Path(__file__).resolve().parents[1]
POLICY_DIR = CHECKOUT / "acl" / "policies"
SI_DESCRIPTION = "_nomad_si [{cluster}] [{alloc}] [{task}]"  # Nomad's description of the tokens it creates


@dataclass(frozen=True)
class Token:
    """A token's public handle (AccessorID) and its secret (SecretID)."""

    accessor: str
    secret: str


def policy_files(directory: Path = POLICY_DIR) -> dict[str, str]:
    """The policies the project ships: {name (file stem): HCL rules}."""
    return {path.stem: path.read_text() for path in sorted(Path(directory).glob("*.hcl"))}


class ConsulACL:
    """ACL endpoints of one Consul agent, called with one token."""

    def __init__(self, http_addr: str, token: str = "", timeout: float = 5.0):
        # ACL calls are rare (a token per sidecar start and stop): no connection is kept between them.
        self.client = ConsulClient(http_addr, token, timeout, keep_alive=False)

    def bootstrap(self, timeout: float = 30.0) -> Token:
        """PUT /v1/acl/bootstrap once the ACL system is ready: the management token."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                answer = self.client.call("PUT", "/v1/acl/bootstrap")
                return Token(answer["AccessorID"], answer["SecretID"])
            except ConsulError as exc:
                # Right after the leader election Consul may still say the ACL system is not ready.
                if "already done" in str(exc) or time.monotonic() >= deadline:
                    raise
            time.sleep(0.2)

    def upsert_policy(self, name: str, rules: str, description: str = "") -> str:
        """Create or update the policy called name; returns its ID."""
        existing = {p["Name"]: p["ID"] for p in self.client.call("GET", "/v1/acl/policies") or []}
        body = {"Name": name, "Rules": rules, "Description": description or f"{name} (acl/policies/{name}.hcl)"}
        if name in existing:
            return self.client.call("PUT", f"/v1/acl/policy/{existing[name]}", body)["ID"]
        return self.client.call("PUT", "/v1/acl/policy", body)["ID"]

    def create_token(self, description: str, policies: list[str] = (), service_identities: list[str] = (),
                     local: bool = False) -> Token:
        """PUT /v1/acl/token with the named policies and/or service identities."""
        body = {"Description": description, "Local": local,
                "Policies": [{"Name": name} for name in policies],
                "ServiceIdentities": [{"ServiceName": name} for name in service_identities]}
        answer = self.client.call("PUT", "/v1/acl/token", body)
        return Token(answer["AccessorID"], answer["SecretID"])

    def service_identity_token(self, service: str, alloc_id: str, task: str, cluster: str = "devagent") -> Token:
        """A local token with only `service`'s identity, described as Nomad describes its SI tokens."""
        return self.create_token(SI_DESCRIPTION.format(cluster=cluster, alloc=alloc_id, task=task),
                                 service_identities=[service], local=True)

    def tokens(self) -> list[dict]:
        """GET /v1/acl/tokens: every token's public fields (no secrets)."""
        return self.client.call("GET", "/v1/acl/tokens") or []

    def delete_token(self, accessor: str) -> None:
        """DELETE /v1/acl/token/:accessor; a token already gone is fine."""
        try:
            self.client.call("DELETE", f"/v1/acl/token/{accessor}")
        except ConsulError as exc:
            if "not found" not in str(exc).lower():
                raise

    def set_agent_token(self, secret: str) -> None:
        """PUT /v1/agent/token/agent: the token the agent uses for its own node."""
        self.client.call("PUT", "/v1/agent/token/agent", {"Token": secret})


def install_policies(acl: ConsulACL, directory: Path = POLICY_DIR) -> dict[str, str]:
    """Create or update every shipped policy; returns {name: ID}."""
    return {name: acl.upsert_policy(name, rules) for name, rules in policy_files(directory).items()}


def secure_agent(acl: ConsulACL) -> Token:
    """Give the agent its own least-privilege token (policy consul-agent), so its node stays in the catalog."""
    acl.upsert_policy("consul-agent", policy_files()["consul-agent"])
    token = acl.create_token("consul agent token", policies=["consul-agent"])
    acl.set_agent_token(token.secret)
    return token
