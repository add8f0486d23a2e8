"""Pick the intentions API that the Consul agent speaks, by its version."""

from __future__ import annotations

import re

from deployer.errors import DeployerError
from deployer.intentions.by_name import NamedIntentions
from deployer.intentions.legacy import LegacyIntentions

BY_NAME_SINCE = (1, 9)


def consul_version(clients) -> tuple[int, int]:
    """(major, minor) of the Consul agent, from /v1/agent/self."""
    info = clients.consul_http.get_json("/v1/agent/self") or {}
    text = (info.get("Config") or {}).get("Version", "")
    match = re.match(r"v?(\d+)\.(\d+)", text)
    if not match:
        raise DeployerError(f"cannot tell the Consul version from {text!r}",
                            hint="is CONSUL_HTTP_ADDR a Consul agent?")
    return int(match.group(1)), int(match.group(2))


def intentions_backend(clients):
    """Intentions by name on Consul >= 1.9, the legacy ID-based API before."""
    if consul_version(clients) >= BY_NAME_SINCE:
        return NamedIntentions(clients)
    return LegacyIntentions(clients)
