"""Bridge-mode jobs in Nomad's countdash shape, and what the host can see of devagent's network objects."""

from __future__ import annotations

import os
import socket
from pathlib import Path

from devagent.netns.names import NetworkNames
from devagent.netns.namespace import list_links, list_namespaces
from devagent.netns.support import unavailable_reason
from tests.devagent.helpers import SECOND, app_task

APP_PORT = 9001  # every app listens here inside its own namespace
UPSTREAM_PORT = 7001  # and reaches its upstream here


def namespaces_unavailable() -> str | None:
    """Why this host cannot run the isolation tests (None when it can)."""
    return unavailable_reason(NetworkNames(f"{os.getpid():08x}"[-8:]))  # test runs side by side probe apart


def mesh_job(name: str, upstream: str | None = None, published: bool = False, static: int | None = None) -> dict:
    """A group with its own namespace: the service on the number the app listens on (no group port),
    an exposed health check, and a published port only when asked (the edge)."""
    ports = ([{"Label": "http", "Value": static, "To": APP_PORT}] if static else [])
    dynamic = [{"Label": "http", "To": APP_PORT}] if published and not static else []
    proxy = {"Upstreams": [{"DestinationName": upstream, "LocalBindPort": UPSTREAM_PORT}]} if upstream else {}
    task = app_task(name)
    task["Env"]["NOMAD_PORT_http"] = str(APP_PORT)  # app.py listens on NOMAD_PORT_http
    if upstream:
        task["Env"]["APP_UPSTREAM_ADDR"] = "${NOMAD_UPSTREAM_ADDR_%s}" % upstream
    return {
        "ID": name, "Name": name, "Type": "service", "Datacenters": ["dc1"],
        "TaskGroups": [{
            "Name": "web", "Count": 1,
            "Networks": [{"Mode": "bridge", "ReservedPorts": ports, "DynamicPorts": dynamic}],
            "Services": [{
                "Name": name, "PortLabel": str(APP_PORT),
                "Checks": [{"Name": f"{name}-health", "Type": "http", "Path": "/health", "Expose": True,
                            "Interval": SECOND, "Timeout": SECOND}],
                "Connect": {"SidecarService": {"Proxy": proxy}, "SidecarTask": {"ShutdownDelay": 0}},
            }],
            "RestartPolicy": {"Attempts": 0, "Interval": 60 * SECOND, "Delay": SECOND // 4, "Mode": "fail"},
            "Tasks": [task],
        }],
    }


def tcp_answers(host: str, port: int, timeout: float = 2.0) -> bool:
    """Whether a TCP connection to host:port is accepted."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def node_names(data_dir: Path) -> NetworkNames:
    """The network names of the devagent with this data dir."""
    return NetworkNames.for_node((Path(data_dir) / "node-id").read_text().strip())


def network_objects(names: NetworkNames) -> list[str]:
    """Every namespace, link and iptables chain of that devagent that exists now."""
    from devagent.netns.commands import iptables
    chains = [line.split()[1] for table in ("nat", "filter")
              for line in iptables("-t", table, "-S", check=False).splitlines()
              if line.startswith("-N ") and line.split()[1].startswith(names.chain_prefix)]
    return list_namespaces(names.namespace_prefix) + list_links(names.bridge) + chains
