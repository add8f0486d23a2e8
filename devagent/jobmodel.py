"""Read Nomad job JSON with Nomad's defaults, and admit jobs as Nomad's job hooks do."""

from __future__ import annotations

import copy
import hashlib
import json

from devagent.durations import SECOND

MINUTE = 60 * SECOND
RUNNABLE_DRIVERS = ("raw_exec", "exec")
SIDECAR_KIND_PREFIX = "connect-proxy:"

UPDATE_DEFAULTS = {
    "Stagger": 30 * SECOND, "MaxParallel": 1, "HealthCheck": "checks",
    "MinHealthyTime": 10 * SECOND, "HealthyDeadline": 5 * MINUTE,
    "ProgressDeadline": 10 * MINUTE, "AutoRevert": False, "AutoPromote": False, "Canary": 0,
}
RESTART_DEFAULTS = {"Attempts": 2, "Interval": 30 * MINUTE, "Delay": 15 * SECOND, "Mode": "fail"}
# Fields Nomad sets on a stored job; a re-register that differs only here is no change.
VOLATILE_JOB_FIELDS = ("Status", "StatusDescription", "Stable", "Version", "SubmitTime", "CreateIndex",
                       "ModifyIndex", "JobModifyIndex")


class JobInvalid(ValueError):
    """A submitted job that canonicalization or validation rejects."""


def canonicalize(job: dict) -> dict:
    """Fill Nomad's defaults with the jobspec package's canonicalize_job when available."""
    try:
        from devagent.jobspec import JobspecError, canonicalize_job
    except ImportError:
        return copy.deepcopy(job)
    try:
        return canonicalize_job(copy.deepcopy(job))
    except JobspecError as exc:
        raise JobInvalid(str(exc)) from exc


def _merged(defaults: dict, *layers: dict | None) -> dict:
    """defaults overridden by the non-null fields of each layer in turn."""
    out = dict(defaults)
    for layer in layers:
        for key, value in (layer or {}).items():
            if value is not None:
                out[key] = value
    return out


def update_strategy(job: dict, group: dict) -> dict | None:
    """The group's effective update block, or None when neither job nor group has one."""
    if not job.get("Update") and not group.get("Update"):
        return None
    strategy = _merged(UPDATE_DEFAULTS, job.get("Update"), group.get("Update"))
    return strategy if strategy["MaxParallel"] > 0 else None


def restart_policy(group: dict, task: dict | None = None) -> dict:
    """The task's effective restart policy (group policy, task override)."""
    return _merged(RESTART_DEFAULTS, group.get("RestartPolicy"), (task or {}).get("RestartPolicy"))


def group_services(group: dict) -> list[dict]:
    """Group-level services."""
    return group.get("Services") or []


def task_services(task: dict) -> list[dict]:
    """Task-level services."""
    return task.get("Services") or []


def is_sidecar_task(task: dict) -> bool:
    """True for the connect-proxy task Nomad injects for a Connect service."""
    return (task.get("Kind") or "").startswith(SIDECAR_KIND_PREFIX)


def sidecar_service(service: dict) -> dict | None:
    """The service's connect.sidecar_service block, or None."""
    connect = service.get("Connect") or {}
    return connect.get("SidecarService")


def missing_drivers(group: dict) -> list[str]:
    """Drivers the group's (non-sidecar) tasks need that devagent cannot run."""
    return sorted({t.get("Driver") or "" for t in group.get("Tasks") or []
                   if not is_sidecar_task(t) and t.get("Driver") not in RUNNABLE_DRIVERS})


def spec_of(job: dict) -> dict:
    """The job without the fields Nomad manages itself."""
    return {k: v for k, v in job.items() if k not in VOLATILE_JOB_FIELDS}


def same_spec(a: dict, b: dict) -> bool:
    """Whether two jobs are the same spec (ignoring index, status and version)."""
    return _stable_json(spec_of(a)) == _stable_json(spec_of(b))


def task_group(job: dict, name: str) -> dict | None:
    """The job's task group called name, or None."""
    return next((g for g in job.get("TaskGroups") or [] if g["Name"] == name), None)


def same_group(job_a: dict, job_b: dict, group_name: str) -> bool:
    """Whether a group (and job fields its tasks see) is unchanged: an in-place update."""
    def part(job):
        group = task_group(job, group_name)
        return _stable_json({"g": group, "meta": job.get("Meta"), "dc": job.get("Datacenters")})
    return part(job_a) == part(job_b)


def _stable_json(value) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def admit(job: dict) -> dict:
    """Apply what Nomad's job admission hooks add: connect sidecar tasks and ports, expose ports."""
    job = copy.deepcopy(job)
    for group in job.get("TaskGroups") or []:
        for service in group_services(group):
            if sidecar_service(service) is None:
                continue
            _inject_sidecar_task(group, service)
            _ensure_dynamic_port(group, f"connect-proxy-{service['Name']}")
            _inject_expose_ports(group, service)
    return job


def _inject_sidecar_task(group: dict, service: dict) -> None:
    kind = SIDECAR_KIND_PREFIX + service["Name"]
    tasks = group.setdefault("Tasks", [])
    if any(t.get("Kind") == kind for t in tasks):
        return
    override = (service.get("Connect") or {}).get("SidecarTask") or {}
    task = {
        "Name": f"connect-proxy-{service['Name']}", "Kind": kind, "Driver": "docker",
        "Config": {"image": "${meta.connect.sidecar_image}",
                   "args": ["-c", "${NOMAD_SECRETS_DIR}/envoy_bootstrap.json",
                            "-l", "${meta.connect.log_level}", "--concurrency", "${meta.connect.proxy_concurrency}",
                            "--disable-hot-restart"]},
        "Env": None, "Meta": None, "Services": None,
        "Lifecycle": {"Hook": "prestart", "Sidecar": True},
        "Resources": {"CPU": 250, "MemoryMB": 128},
        "ShutdownDelay": 5 * SECOND, "KillTimeout": 5 * SECOND, "KillSignal": "",
        "LogConfig": {"MaxFiles": 2, "MaxFileSizeMB": 2},
    }
    for key in ("Name", "Driver", "User", "Config", "Env", "Resources", "Meta", "KillTimeout",
                "ShutdownDelay", "KillSignal", "LogConfig"):
        if override.get(key) not in (None, "", {}, []):
            task[key] = override[key]
    tasks.append(task)


def _ensure_dynamic_port(group: dict, label: str) -> None:
    networks = group.setdefault("Networks", None) or [{"Mode": "host"}]
    group["Networks"] = networks
    net = networks[0]
    known = {p.get("Label") for p in (net.get("DynamicPorts") or []) + (net.get("ReservedPorts") or [])}
    if label not in known:
        net["DynamicPorts"] = (net.get("DynamicPorts") or []) + [{"Label": label, "Value": 0, "To": -1, "HostNetwork": "default"}]


def expose_port_label(service_name: str, check: dict) -> str:
    """The dynamic port label Nomad gives an `expose = true` check."""
    digest = hashlib.sha1(_stable_json([service_name, check.get("Name"), check.get("Path")]).encode()).hexdigest()
    return f"svc_{service_name}_ck_{digest[:6]}"


def _inject_expose_ports(group: dict, service: dict) -> None:
    for check in service.get("Checks") or []:
        if check.get("Expose") and check.get("Type") in ("http", "grpc"):
            label = expose_port_label(service["Name"], check)
            _ensure_dynamic_port(group, label)
            proxy = sidecar_service(service).setdefault("Proxy", None) or {}
            sidecar_service(service)["Proxy"] = proxy
            expose = proxy.setdefault("Expose", None) or {}
            proxy["Expose"] = expose
            paths = expose.get("Paths") or []
            if not any(p.get("ListenerPort") == label for p in paths):
                paths.append({"Path": check.get("Path"), "Protocol": check.get("Protocol") or "http",
                              "LocalPathPort": 0, "ListenerPort": label})
            expose["Paths"] = paths
