"""The server's structs.Job.Canonicalize (the `canonicalize` mutator), on structs.Job JSON, in place."""

from __future__ import annotations

import copy
import re

from devagent.admission.go_text import go_upper, quote
from devagent.jobspec import defaults

DEFAULT_IDENTITY_NAME = "default"
DEFAULT_IDENTITY_AUDIENCE = "nomadproject.io"

# The server's defaults are the api package's (devagent.jobspec.defaults), for these job types only
# (structs.NewRestartPolicy and NewReschedulePolicy give nil for the others).
_RESTART_TYPES = ("service", "system", "batch")
_RESCHEDULE_TYPES = ("service", "batch")
_SERVICE_NAME_VARS = re.compile(r"\$\{(JOB|TASKGROUP|TASK|BASE)\}")


def default_resources() -> dict:
    """structs.DefaultResources(), as JSON."""
    from devagent.admission.structs_shape import shaped
    return shaped("Resources", {"CPU": 100, "MemoryMB": 300})


def canonicalize_job(job: dict) -> None:
    """structs.Job.Canonicalize: nil-for-empty, namespace, datacenters and every group's defaults."""
    _nil_if_empty(job, "Meta", "Constraints", "Affinities", "Spreads")
    if not job.get("Namespace"):
        job["Namespace"] = "default"
    if not job.get("Datacenters"):
        job["Datacenters"] = ["*"]
    for group in job.get("TaskGroups") or []:
        canonicalize_group(job, group)
    parameterized = job.get("ParameterizedJob")
    if parameterized is not None and not parameterized.get("Payload"):
        parameterized["Payload"] = "optional"


def canonicalize_group(job: dict, group: dict) -> None:
    """structs.TaskGroup.Canonicalize."""
    job_type = job.get("Type")
    _nil_if_empty(group, "Meta", "Constraints", "Affinities", "Spreads")
    if group.get("RestartPolicy") is None and job_type in _RESTART_TYPES:
        group["RestartPolicy"] = defaults.restart_policy(job_type)
    if group.get("ReschedulePolicy") is None and job_type in _RESCHEDULE_TYPES:
        group["ReschedulePolicy"] = defaults.reschedule_policy(job_type)
    disconnect = group.get("Disconnect")
    if disconnect is not None:
        if disconnect.get("Replace") is None:
            disconnect["Replace"] = True
        if not disconnect.get("Reconcile"):
            disconnect["Reconcile"] = "best_score"
        if group.get("MaxClientDisconnect") is not None and not disconnect.get("LostAfter"):
            disconnect["LostAfter"] = group["MaxClientDisconnect"]
        if group.get("StopAfterClientDisconnect") is not None and disconnect.get("StopOnClientAfter") is None:
            disconnect["StopOnClientAfter"] = group["StopAfterClientDisconnect"]
        if group.get("PreventRescheduleOnLost") and disconnect.get("Replace") is None:
            disconnect["Replace"] = False
    if job_type == "service" and group.get("Migrate") is None:
        group["Migrate"] = defaults.migrate_strategy()
    if group.get("EphemeralDisk") is None:
        group["EphemeralDisk"] = defaults.ephemeral_disk()
    if job_type == "system" and not group.get("Count"):
        group["Count"] = 1
    if group.get("Scaling") is not None and not group["Scaling"].get("Type"):
        group["Scaling"]["Type"] = "horizontal"
    for service in group.get("Services") or []:
        canonicalize_service(service, job, group["Name"], "group")
    for network in group.get("Networks") or []:
        canonicalize_network(network)
    for task in group.get("Tasks") or []:
        canonicalize_task(job, group, task)


def canonicalize_task(job: dict, group: dict, task: dict) -> None:
    """structs.Task.Canonicalize (also run on the sidecar and gateway tasks the connect hook injects)."""
    _nil_if_empty(task, "Meta", "Config", "Env", "Constraints", "Affinities", "VolumeMounts")
    for service in task.get("Services") or []:
        canonicalize_service(service, job, group["Name"], task["Name"])
    if task.get("Resources") is None:
        task["Resources"] = default_resources()
    else:
        _nil_if_empty(task["Resources"], "Networks", "Devices")
        for network in task["Resources"].get("Networks") or []:
            canonicalize_network(network)
    if task.get("RestartPolicy") is None:
        task["RestartPolicy"] = copy.deepcopy(group.get("RestartPolicy"))
    if not task.get("KillTimeout"):
        task["KillTimeout"] = defaults.KILL_TIMEOUT
    vault = task.get("Vault")
    if vault is not None:
        if vault.get("ChangeSignal"):
            vault["ChangeSignal"] = go_upper(vault["ChangeSignal"])
        if not vault.get("ChangeMode"):
            vault["ChangeMode"] = "restart"
    for template in task.get("Templates") or []:
        if template.get("ChangeSignal"):
            template["ChangeSignal"] = go_upper(template["ChangeSignal"])
    _canonicalize_identities(task)


def _canonicalize_identities(task: dict) -> None:
    identities = task.get("Identities") or []
    default_index = None
    for index, identity in enumerate(identities):
        _canonicalize_identity(identity)
        if identity["Name"] == DEFAULT_IDENTITY_NAME:
            task["Identity"] = identity
            default_index = index
    if default_index is not None:
        del identities[default_index]
    if task.get("Identity") is None:
        from devagent.admission.structs_shape import shaped
        task["Identity"] = shaped("WorkloadIdentity", {"Name": DEFAULT_IDENTITY_NAME,
                                                       "Audience": [DEFAULT_IDENTITY_AUDIENCE]})
    else:
        _canonicalize_identity(task["Identity"])


def _canonicalize_identity(identity: dict) -> None:
    if not identity.get("Name"):
        identity["Name"] = DEFAULT_IDENTITY_NAME
    if identity["Name"] == DEFAULT_IDENTITY_NAME:
        identity["Audience"] = [DEFAULT_IDENTITY_AUDIENCE]
    if identity.get("ChangeSignal"):
        identity["ChangeSignal"] = go_upper(identity["ChangeSignal"])


def canonicalize_network(network: dict) -> None:
    """structs.NetworkResource.Canonicalize: nil-for-empty port lists, host network "default"."""
    _nil_if_empty(network, "ReservedPorts", "DynamicPorts")
    for port in (network.get("DynamicPorts") or []) + (network.get("ReservedPorts") or []):
        if not port.get("HostNetwork"):
            port["HostNetwork"] = "default"


def canonicalize_service(service: dict, job: dict, group_name: str, task_name: str) -> None:
    """structs.Service.Canonicalize: ${JOB}/${TASKGROUP}/${TASK}/${BASE} in the name, check names, provider."""
    _nil_if_empty(service, "Tags", "CanaryTags", "Checks", "TaggedAddresses")
    if not service.get("TaskName") and task_name != "group":
        service["TaskName"] = task_name
    names = {"JOB": job["Name"], "TASKGROUP": group_name, "TASK": task_name,
             "BASE": f"{job['Name']}-{group_name}-{task_name}"}
    service["Name"] = _SERVICE_NAME_VARS.sub(lambda m: names[m.group(1)], service.get("Name") or "")
    for check in service.get("Checks") or []:
        _canonicalize_check(check, service["Name"], service.get("TaskName") or "")
    if not service.get("Provider"):
        service["Provider"] = "consul"
    if not service.get("Namespace") and service["Provider"] == "consul":
        service["Namespace"] = "default"
    elif service["Provider"] == "nomad":
        service["Namespace"] = job["Namespace"]


def _canonicalize_check(check: dict, service_name: str, task_name: str) -> None:
    _nil_if_empty(check, "Args", "Header")
    for key, value in (check.get("Header") or {}).items():
        if not value:
            check["Header"][key] = None
    if not check.get("Name"):
        check["Name"] = f"service: {quote(service_name)} check"  # Go's %q
    if not check.get("TaskName") and task_name != "group":
        check["TaskName"] = task_name
    if not check.get("OnUpdate"):
        check["OnUpdate"] = "require_healthy"


def _nil_if_empty(obj: dict, *keys: str) -> None:
    for key in keys:
        if key in obj and not obj[key]:
            obj[key] = None
