"""dev.yaml moved onto free ports, for tests that deploy the real templates."""

from pathlib import Path

import yaml

from deployer.values import DEFAULT_VALUES
from devagent.ports import free_port


def values_on_free_ports(directory: Path, name: str = "values.yaml", change=None) -> tuple[Path, int]:
    """Write dev.yaml with every app port, published port and upstream bind port moved to free ones.

    order's published port equals its app port, so the jobs run alike where `to` is honoured
    (Nomad's bridge mode) and where the app binds the host port (devagent without namespaces).
    change(data) may edit the mapping before it is written. Returns the file and order's port.
    """
    data = yaml.safe_load(DEFAULT_VALUES.read_text())
    services = data["services"]
    for service in services.values():
        service["port"] = free_port()
        for upstream in service.get("upstreams") or []:
            upstream["local_bind_port"] = free_port()
    services["order"]["static_port"] = services["order"]["port"]
    if change:
        change(data)
    path = Path(directory) / name
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path, services["order"]["static_port"]
