"""Find and remove one node's network objects: after a crash (kill -9), and at shutdown."""

from __future__ import annotations

import tempfile
from pathlib import Path

from devagent.netns.bridge import remove_bridge
from devagent.netns.names import NetworkNames
from devagent.netns.namespace import list_links, list_namespaces, remove_namespace
from devagent.netns.portmap import remove_node_rules


def remove_node_objects(names: NetworkNames) -> list[str]:
    """Remove every namespace, veth, bridge and iptables chain named for this node; say what went."""
    removed = []
    for namespace in list_namespaces(names.namespace_prefix):
        remove_namespace(namespace)
        removed.append(f"network namespace {namespace}")
    removed += remove_node_rules(names)
    links = list_links(names.bridge)  # the bridge and its veths share the prefix
    for link in sorted(links, key=lambda name: name == names.bridge):  # veths first
        remove_bridge(link)
        removed.append(f"link {link}")
    return removed + remove_fallback_sockets(names)


def remove_fallback_sockets(names: NetworkNames) -> list[str]:
    """Unix sockets put in the temp dir because the alloc dir's path was too long for one."""
    removed = []
    for path in Path(tempfile.gettempdir()).glob(f"{names.namespace_prefix}*.sock"):
        path.unlink(missing_ok=True)
        removed.append(f"socket {path}")
    return removed
