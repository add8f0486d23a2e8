"""Read stored (structs-shaped) Nomad jobs: effective update and restart policies, services, sidecars, specs."""

from __future__ import annotations

import copy
import json

from devagent.jobspec import defaults

RUNNABLE_DRIVERS = ("raw_exec", "exec")
SIDECAR_KIND_PREFIX = "connect-proxy:"

# Fields Nomad sets on a stored job; a re-register that differs only here is no change.
VOLATILE_JOB_FIELDS = ("Status", "StatusDescription", "Stable", "Version", "SubmitTime", "CreateIndex",
                       "ModifyIndex", "JobModifyIndex")


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
    strategy = _merged(defaults.update_strategy(), job.get("Update"), group.get("Update"))
    return strategy if strategy["MaxParallel"] > 0 else None


def restart_policy(group: dict, task: dict | None = None) -> dict:
    """The task's effective restart policy (group policy, task override)."""
    return _merged(defaults.restart_policy("service"), group.get("RestartPolicy"), (task or {}).get("RestartPolicy"))


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
    """The job without the fields Nomad manages itself (its scaling policies' table indexes among them)."""
    spec = {k: v for k, v in job.items() if k not in VOLATILE_JOB_FIELDS}
    if any(g.get("Scaling") or any(t.get("ScalingPolicies") for t in g.get("Tasks") or [])
           for g in spec.get("TaskGroups") or []):
        spec = copy.deepcopy(spec)
        for group in spec["TaskGroups"]:
            for policy in [group.get("Scaling")] + [p for t in group.get("Tasks") or []
                                                     for p in t.get("ScalingPolicies") or []]:
                if policy:
                    policy.pop("CreateIndex", None)
                    policy.pop("ModifyIndex", None)
    return spec


def same_spec(a: dict, b: dict) -> bool:
    """structs.Job.SpecChanged negated: equal but for status, stability, version, indexes and submit time."""
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


def launched_by_others(job: dict) -> bool:
    """A periodic or parameterized job: Nomad's periodic dispatcher or a dispatch launches its children (which
    devagent does not do), and registering it creates no evaluation and no allocation."""
    return job.get("Periodic") is not None or (job.get("ParameterizedJob") is not None and not job.get("Dispatched"))
