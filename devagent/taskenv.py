"""Nomad's task environment and `${...}` interpolation (client/taskenv)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

_VAR = re.compile(r"\$\{([a-zA-Z0-9_\-.]+)\}")
_UNCLEAN = re.compile(r"[^A-Za-z0-9_.]")


@dataclass(frozen=True)
class NodeInfo:
    """What a task can learn about the node it runs on."""

    id: str
    name: str
    datacenter: str
    region: str
    node_class: str = ""


@dataclass(frozen=True)
class PortMapping:
    """One allocated port: label, host value, `to` (0 when unset) and host IP."""

    label: str
    value: int
    to: int
    host_ip: str = "127.0.0.1"


def clean_name(name: str) -> str:
    """Nomad's env-var name cleaning: characters outside [A-Za-z0-9_.] become `_`."""
    return _UNCLEAN.sub("_", name)


@dataclass(frozen=True)
class NetworkStatus:
    """The allocation's own network (Nomad's AllocNetworkStatus): its namespace interface and address."""

    interface: str
    address: str


def port_env(ports: list[PortMapping], network: NetworkStatus | None = None) -> dict[str, str]:
    """NOMAD_PORT_/HOST_PORT_/ADDR_/IP_/ALLOC_PORT_ for each label (and NOMAD_ALLOC_* in a namespace).

    In a network namespace (network given) this is Nomad's bridge mode: NOMAD_PORT_<label> is
    `to` when set (the port inside the namespace), NOMAD_HOST_PORT_/NOMAD_ADDR_ the host side.
    Without one (host mode) the app must listen on the host port, so NOMAD_PORT_<label> is the
    host port even when `to` is set.
    """
    env = {}
    for port in ports:
        inside = port.to if network is not None and port.to > 0 else port.value
        for label in {port.label, clean_name(port.label)}:
            env[f"NOMAD_PORT_{label}"] = str(inside)
            env[f"NOMAD_ALLOC_PORT_{label}"] = str(inside)
            env[f"NOMAD_HOST_PORT_{label}"] = str(port.value)
            env[f"NOMAD_IP_{label}"] = port.host_ip
            env[f"NOMAD_HOST_IP_{label}"] = port.host_ip
            env[f"NOMAD_ADDR_{label}"] = f"{port.host_ip}:{port.value}"
            env[f"NOMAD_HOST_ADDR_{label}"] = f"{port.host_ip}:{port.value}"
            if network is not None:
                # Nomad uses the raw `to` here, even when it is 0 (client/taskenv addNomadAllocNetwork).
                env[f"NOMAD_ALLOC_INTERFACE_{label}"] = network.interface
                env[f"NOMAD_ALLOC_IP_{label}"] = network.address
                env[f"NOMAD_ALLOC_ADDR_{label}"] = f"{network.address}:{port.to}"
    return env


def upstream_env(upstreams: list[dict]) -> dict[str, str]:
    """NOMAD_UPSTREAM_IP_/PORT_/ADDR_<dest> in raw and cleaned forms."""
    env = {}
    for upstream in upstreams:
        ip = upstream.get("LocalBindAddress") or "127.0.0.1"
        port = str(upstream.get("LocalBindPort") or 0)
        for name in {upstream["DestinationName"], clean_name(upstream["DestinationName"])}:
            env[f"NOMAD_UPSTREAM_IP_{name}"] = ip
            env[f"NOMAD_UPSTREAM_PORT_{name}"] = port
            env[f"NOMAD_UPSTREAM_ADDR_{name}"] = f"{ip}:{port}"
    return env


@dataclass
class TaskEnvInputs:
    """Everything build_task_env needs about one task of one allocation."""

    alloc: dict
    job: dict
    group: dict
    task: dict
    alloc_dir: str
    task_dir: str
    node: NodeInfo
    ports: list[PortMapping]
    upstreams: list[dict]
    network: NetworkStatus | None = None  # set when the group runs in its own network namespace


def build_task_env(inputs: TaskEnvInputs, inherit: bool = True) -> dict[str, str]:
    """The environment of a task process: agent env (raw_exec), NOMAD_*, then the task's env."""
    alloc, job, group, task = inputs.alloc, inputs.job, inputs.group, inputs.task
    resources = task.get("Resources") or {}
    env = dict(os.environ) if inherit else {}
    env.update({
        "NOMAD_ALLOC_DIR": os.path.join(inputs.alloc_dir, "alloc"),
        "NOMAD_TASK_DIR": os.path.join(inputs.task_dir, "local"),
        "NOMAD_SECRETS_DIR": os.path.join(inputs.task_dir, "secrets"),
        "NOMAD_MEMORY_LIMIT": str(resources.get("MemoryMB") or 300),
        "NOMAD_CPU_LIMIT": str(resources.get("CPU") or 100),
        "NOMAD_ALLOC_ID": alloc["ID"],
        "NOMAD_SHORT_ALLOC_ID": alloc["ID"][:8],
        "NOMAD_ALLOC_NAME": alloc["Name"],
        "NOMAD_ALLOC_INDEX": str(alloc_index(alloc["Name"])),
        "NOMAD_TASK_NAME": task["Name"],
        "NOMAD_GROUP_NAME": group["Name"],
        "NOMAD_JOB_ID": job["ID"],
        "NOMAD_JOB_NAME": job.get("Name") or job["ID"],
        "NOMAD_DC": inputs.node.datacenter,
        "NOMAD_REGION": inputs.node.region,
        "NOMAD_NAMESPACE": job.get("Namespace") or "default",
    })
    if job.get("ParentID"):
        env["NOMAD_JOB_PARENT_ID"] = job["ParentID"]
    meta = {**(job.get("Meta") or {}), **(group.get("Meta") or {}), **(task.get("Meta") or {})}
    for key, value in meta.items():
        env[f"NOMAD_META_{key}"] = str(value)
        env[f"NOMAD_META_{clean_name(key)}"] = str(value)
    env.update(port_env(inputs.ports, inputs.network))
    env.update(upstream_env(inputs.upstreams))
    for key, value in (task.get("Env") or {}).items():
        env[key] = interpolate(str(value), env, inputs.node)
    return env


def alloc_index(alloc_name: str) -> int:
    """The index in `<job>.<group>[<index>]`."""
    return int(alloc_name.rsplit("[", 1)[1].rstrip("]"))


def interpolate(text: str, env: dict[str, str], node: NodeInfo) -> str:
    """Replace ${VAR} from env, then node.* attributes; unknown variables stay literal."""
    node_vars = {
        "node.unique.id": node.id, "node.unique.name": node.name, "node.datacenter": node.datacenter,
        "node.region": node.region, "node.class": node.node_class,
    }

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name in env:
            return env[name]
        if name in node_vars:
            return node_vars[name]
        if name.startswith("env.") and name[4:] in env:
            return env[name[4:]]
        return match.group(0)

    return _VAR.sub(replace, text)


def interpolate_value(value, env: dict[str, str], node: NodeInfo):
    """interpolate() applied to every string inside a JSON-like value."""
    if isinstance(value, str):
        return interpolate(value, env, node)
    if isinstance(value, list):
        return [interpolate_value(v, env, node) for v in value]
    if isinstance(value, dict):
        return {k: interpolate_value(v, env, node) for k, v in value.items()}
    return value
