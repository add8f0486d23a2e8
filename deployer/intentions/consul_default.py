"""What Consul itself does for a pair that no intention matches (Consul 1.8: the ACL default policy)."""

from __future__ import annotations

from deployer.errors import DeployerError


def consul_default_action(clients) -> str:
    """"allow" without ACLs or with ACL default allow, else "deny" (read from /v1/agent/self)."""
    try:
        agent = clients.consul_http.get_json("/v1/agent/self") or {}
    except DeployerError as exc:
        # A token refused agent:read is refused only under default deny (default allow would let it read).
        if "Permission denied" in str(exc):
            return "deny"
        raise
    config = agent.get("DebugConfig") or {}
    if not config.get("ACLsEnabled"):
        return "allow"
    return "allow" if config.get("ACLDefaultPolicy") == "allow" else "deny"
