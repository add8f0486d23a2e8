"""Name the Consul ACL permission a refused call needed, where Consul's 403 text does not (issue 15)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

ACL_HINT = ("the Consul token (CONSUL_HTTP_TOKEN or --consul-token; `make up` writes the deployer's to .run/env) "
            "lacks it; the deployer's policy is acl/policies/deployer.hcl")
UNKNOWN_TOKEN_HINT = ("CONSUL_HTTP_TOKEN / --consul-token is not a token this Consul knows; "
                      "`. .run/env` sets the deployer's (`make up` creates it)")
_PAIR = re.compile(r"intention (\S+) -> (\S+)")


def needed_permission(method: str, target: str) -> str:
    """The permission a call needs; target is a path (raw calls) or an operation name (python-consul2)."""
    path = urlsplit(target).path
    query = parse_qs(urlsplit(target).query)
    if path.startswith("/v1/agent/connect/ca/leaf/"):
        return f"service:write on {path.rsplit('/', 1)[-1]}"
    if path.startswith("/v1/connect/intentions") or "intention" in target:
        if method == "GET" or target.startswith(("list", "check")):
            return "intentions:read"
        pair = _PAIR.search(target)
        destination = pair.group(2) if pair else (query.get("destination") or ["the destination service"])[0]
        return f"intentions:write on {destination}"
    if path.startswith("/v1/agent/"):
        return "agent:read" if method == "GET" else "agent:write"
    if path.startswith(("/v1/catalog/", "/v1/health/")) or "services" in target:
        return "service:read and node:read"
    return ""


def refusal_hint(consul_text: str) -> str:
    """The hint for a refusal: an unknown token, or one without the permission."""
    return UNKNOWN_TOKEN_HINT if "ACL not found" in consul_text else ACL_HINT


def refusal_message(what: str, consul_text: str, permission: str) -> str:
    """One line: what was refused, Consul's own words, and the permission when Consul did not name it."""
    text = consul_text.strip() or "Permission denied"
    if permission and "Missing" not in text and "ACL not found" not in text:
        text = f"{text} (needs {permission})"
    return f"Consul refused {what}: {text}"
