"""Whether a job change needs new allocations (destructive) or updates them in place (Nomad's tasksUpdated)."""

from __future__ import annotations

import json

from devagent.jobmodel import task_group

# Per task: fields whose change means the task must be recreated (scheduler/util.go tasksUpdated).
_TASK_FIELDS = ("Driver", "User", "Config", "Env", "Artifacts", "Vault", "Consul", "Templates",
                "CSIPluginConfig", "VolumeMounts", "Identity", "Identities")
_RESOURCE_FIELDS = ("CPU", "Cores", "MemoryMB", "MemoryMaxMB", "Devices", "NUMA", "SecretsMB")


def _same(a, b) -> bool:
    return json.dumps(_empty_as_none(a), sort_keys=True, default=str) == json.dumps(_empty_as_none(b), sort_keys=True, default=str)


def _empty_as_none(value):
    """Nomad compares nil and empty maps/lists as equal; so do we."""
    if value in ({}, [], "", None):
        return None
    if isinstance(value, dict):
        return {k: _empty_as_none(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_empty_as_none(v) for v in value]
    return value


def _port_map(network: dict) -> list:
    """A network's ports, dynamic values ignored (they are assigned per allocation)."""
    reserved = [(p.get("Label"), p.get("Value"), p.get("To"), p.get("HostNetwork") or "default")
                for p in network.get("ReservedPorts") or []]
    dynamic = [(p.get("Label"), -1, p.get("To"), p.get("HostNetwork") or "default")
               for p in network.get("DynamicPorts") or []]
    return reserved + dynamic


def network_difference(nets_a: list | None, nets_b: list | None) -> str | None:
    """Why two network lists differ for scheduling, or None."""
    nets_a, nets_b = nets_a or [], nets_b or []
    if len(nets_a) != len(nets_b):
        return "network lengths"
    for a, b in zip(nets_a, nets_b):
        for key, what in (("Mode", "network mode"), ("MBits", "network mbits"), ("Hostname", "network hostname"),
                          ("DNS", "network dns"), ("CNI", "network cni")):
            if not _same(a.get(key) or ("host" if key == "Mode" else None), b.get(key) or ("host" if key == "Mode" else None)):
                return what
        if _port_map(a) != _port_map(b):
            return "network port map"
    return None


def _combined_meta(job: dict, group: dict, task: dict) -> dict:
    """Job meta, overridden by group meta, overridden by task meta (Job.CombinedTaskMeta)."""
    return {**(job.get("Meta") or {}), **(group.get("Meta") or {}), **(task.get("Meta") or {})}


def _placement_rules(job: dict, group: dict, key: str) -> list:
    rules = list(job.get(key) or []) + list(group.get(key) or [])
    for task in group.get("Tasks") or []:
        rules += list(task.get(key) or [])
    return rules


def _connect_difference(services_a: list, services_b: list) -> str | None:
    by_name = {s.get("Name"): s for s in services_b or []}
    for a in services_a or []:
        if not a.get("Connect") or a.get("Name") not in by_name:
            continue
        b = by_name[a["Name"]]
        ca, cb = a.get("Connect"), b.get("Connect")
        if not cb:
            return "connect removed"
        if bool(ca.get("Native")) != bool(cb.get("Native")):
            return "connect native"
        if not _same(ca.get("Gateway"), cb.get("Gateway")):
            return "connect gateway"
        if not _same(ca.get("SidecarTask"), cb.get("SidecarTask")):
            return "connect sidecar task"
        sa, sb = ca.get("SidecarService"), cb.get("SidecarService")
        if (sa is None) != (sb is None):
            return "connect service add" if sa is None else "connect service delete"
        if sa is not None and (sa.get("Port") or "") != (sb.get("Port") or ""):
            return "connect port"
        if (a.get("PortLabel") or "") != (b.get("PortLabel") or ""):
            return "connect service port label"
        if (a.get("Cluster") or "") != (b.get("Cluster") or ""):
            return "connect service cluster"
    return None


def tasks_updated(job_a: dict, job_b: dict, group_name: str) -> str | None:
    """Why group_name's allocations of job_a must be replaced to run job_b, or None (in place will do).

    Count, update/restart/reschedule policies, service tags and checks, and job fields the
    tasks never see are not destructive; job, group and task meta are (tasks see NOMAD_META_*).
    """
    a, b = task_group(job_a, group_name), task_group(job_b, group_name)
    if a is None or b is None:
        return "task group"
    tasks_a, tasks_b = a.get("Tasks") or [], b.get("Tasks") or []
    if len(tasks_a) != len(tasks_b):
        return "number of tasks"
    if not _same(a.get("EphemeralDisk"), b.get("EphemeralDisk")):
        return "ephemeral disk"
    reason = network_difference(a.get("Networks"), b.get("Networks"))
    if reason:
        return reason
    if not _same(_placement_rules(job_a, a, "Affinities"), _placement_rules(job_b, b, "Affinities")):
        return "affinities"
    if not _same(_placement_rules(job_a, a, "Spreads"), _placement_rules(job_b, b, "Spreads")):
        return "spreads"
    if not _same(a.get("Consul"), b.get("Consul")):
        return "consul namespace"
    reason = _connect_difference(a.get("Services"), b.get("Services"))
    if reason:
        return reason
    if not _same(a.get("Volumes"), b.get("Volumes")):
        return "volume request"
    if not _same((a.get("RestartPolicy") or {}).get("RenderTemplates"), (b.get("RestartPolicy") or {}).get("RenderTemplates")):
        return "group restart render_templates"
    others = {t["Name"]: t for t in tasks_b}
    for ta in tasks_a:
        tb = others.get(ta["Name"])
        if tb is None:
            return "task deleted"
        for key in _TASK_FIELDS:
            if not _same(ta.get(key), tb.get(key)):
                return f"task {key.lower()}"
        if _combined_meta(job_a, a, ta) != _combined_meta(job_b, b, tb):
            return "task meta"
        res_a, res_b = ta.get("Resources") or {}, tb.get("Resources") or {}
        reason = network_difference(res_a.get("Networks"), res_b.get("Networks"))
        if reason:
            return reason
        for key in _RESOURCE_FIELDS:
            if not _same(res_a.get(key), res_b.get(key)):
                return f"task {key.lower()}"
        if bool((ta.get("LogConfig") or {}).get("Disabled")) != bool((tb.get("LogConfig") or {}).get("Disabled")):
            return "task log disabled"
        if not _same((ta.get("RestartPolicy") or {}).get("RenderTemplates"), (tb.get("RestartPolicy") or {}).get("RenderTemplates")):
            return "task restart render_templates"
    return None
