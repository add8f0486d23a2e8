"""Nomad's `constraints` mutator: the node constraints a job's blocks imply (Consul, CNI, signals, Vault...)."""

from __future__ import annotations

from devagent.admission.connect_hook import constraint, consul_version_constraint

NAME = "constraints"
_CNI_MIN = ">= 0.4.0"
CNI_BRIDGE_PLUGINS = ("bridge", "firewall", "host-local", "loopback", "portmap")
_NATIVE_DISCOVERY = constraint("${attr.nomad.service_discovery}", "true", "=")
_NATIVE_CHECKS = constraint("${attr.nomad.version}", ">= 1.4.0", "semver")
_NUMA = (constraint("${attr.nomad.version}", ">= 1.6.3-dev", "semver"), constraint("${attr.kernel.name}", "linux", "="))
_TPROXY = (constraint("${attr.plugins.cni.version.consul-cni}", ">= 1.4.2", "semver"),
           constraint("${attr.nomad.version}", ">= 1.8.0-dev", "semver"))
_TASK_SCHEDULE = constraint("${attr.nomad.version}", ">= 1.8.0-dev", "semver")


def mutate(job: dict) -> tuple[dict, list]:
    """jobImpliedConstraints.Mutate, group by group in Nomad's order."""
    for group in job.get("TaskGroups") or []:
        tasks = group.get("Tasks") or []
        for task in sorted((t for t in tasks if t.get("Vault") is not None), key=lambda t: t["Name"]):
            _add(group, _vault_constraint(task["Vault"]), left_only=True)
        if any(_numa_requested(t) for t in tasks):
            for item in _NUMA:
                _add(group, item, left_only=False)
        signals = _required_signals(tasks)
        if signals:
            _add(group, constraint("${attr.os.signals}", ",".join(signals), "set_contains"), left_only=False)
        nomad_services = [s for s in _all_services(group) if s.get("Provider") == "nomad"]
        if nomad_services:
            _add(group, _NATIVE_DISCOVERY, left_only=False)
        if any(s.get("Checks") for s in nomad_services):
            _add(group, _NATIVE_CHECKS, left_only=False)
        if any(_is_consul(s) for s in _all_services(group)):
            for service in group.get("Services") or []:
                if _is_consul(service):
                    _add(group, consul_version_constraint(service.get("Cluster") or ""), left_only=True)
            for task in tasks:
                for service in task.get("Services") or []:
                    if _is_consul(service):
                        _add(task, consul_version_constraint(service.get("Cluster") or ""), left_only=True)
        if any(n.get("Mode") == "bridge" for n in group.get("Networks") or []):
            for plugin in CNI_BRIDGE_PLUGINS:
                _add(group, constraint(f"${{attr.plugins.cni.version.{plugin}}}", _CNI_MIN, "semver"), left_only=True)
        if any(_has_tproxy(s) for s in group.get("Services") or []):
            for item in _TPROXY:
                _add(group, item, left_only=True)
        if any(t.get("Schedule") is not None for t in tasks):
            _add(group, _TASK_SCHEDULE, left_only=True)
    return job, []


def _add(target: dict, wanted: dict, left_only: bool) -> None:
    """mutateConstraint: add unless present (the same constraint, or with left_only any on the same LTarget)."""
    existing = target.get("Constraints") or []
    if left_only:
        found = any(c.get("LTarget") == wanted["LTarget"] for c in existing)
    else:
        found = any(c == wanted for c in existing)
    if not found:
        target["Constraints"] = existing + [dict(wanted)]


def _vault_constraint(vault: dict) -> dict:
    cluster = vault.get("Cluster") or ""
    if cluster not in ("default", ""):
        return constraint(f"${{attr.vault.{cluster}.version}}", ">= 1.11.0", "semver")
    return constraint("${attr.vault.version}", ">= 0.6.1", "semver")


def _numa_requested(task: dict) -> bool:
    numa = (task.get("Resources") or {}).get("NUMA")
    return numa is not None and numa.get("Affinity") != "none"


def _required_signals(tasks: list[dict]) -> list[str]:
    signals: set[str] = set()
    for task in tasks:
        vault = task.get("Vault")
        if vault is not None and vault.get("ChangeMode") == "signal":
            signals.add(vault.get("ChangeSignal") or "")
        if task.get("KillSignal"):
            signals.add(task["KillSignal"])
        for template in task.get("Templates") or []:
            if template.get("ChangeMode") == "signal":
                signals.add(template.get("ChangeSignal") or "")
    return sorted(signals)


def _all_services(group: dict) -> list[dict]:
    return list(group.get("Services") or []) + [s for t in group.get("Tasks") or [] for s in t.get("Services") or []]


def _is_consul(service: dict) -> bool:
    return service.get("Provider") in ("consul", "", None)


def _has_tproxy(service: dict) -> bool:
    sidecar = (service.get("Connect") or {}).get("SidecarService")
    return sidecar is not None and (sidecar.get("Proxy") or {}).get("TransparentProxy") is not None
