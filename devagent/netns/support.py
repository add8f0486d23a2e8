"""Whether this host lets devagent make network namespaces, and if not, why."""

from __future__ import annotations

import os
import shutil

from devagent.netns.commands import NetworkError, ip, iptables
from devagent.netns.names import NetworkNames

TOOLS = {"ip": "iproute2", "iptables": "iptables", "iptables-restore": "iptables"}


def unavailable_reason(names: NetworkNames) -> str | None:
    """None when namespaces, veths and nat rules can be made here; else a short reason."""
    if os.geteuid() != 0:
        return "devagent is not running as root"
    for tool, package in TOOLS.items():
        if shutil.which(tool) is None:
            return f"`{tool}` is not installed (Debian package {package}; `make tools` installs it)"
    probe = f"{names.namespace_prefix}probe"
    ip("netns", "del", probe, check=False)  # left by a run killed right here
    try:
        ip("netns", "add", probe)
        ip("netns", "del", probe)
        iptables("-t", "nat", "-S", "OUTPUT")
    except NetworkError as exc:
        ip("netns", "del", probe, check=False)
        return str(exc)
    return None
