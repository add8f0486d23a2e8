"""Semantic checks the Nomad server makes on register/plan, with one-line messages naming where."""

import re

from .durations import format_duration
from .errors import JobspecError

SECOND = 1_000_000_000
_JOB_TYPES = ("service", "batch", "system", "sysbatch")
_CHECK_TYPES = ("http", "tcp", "script", "grpc")
_SERVICE_NAME = re.compile(r"^(?i:[a-z0-9]|[a-z0-9][a-z0-9\-]{0,61}[a-z0-9])$")


def validate_job(job):
    """Raise JobspecError for the first problem Nomad would reject the job for."""
    where = (f'job "{job.get("ID")}"',)
    if not job.get("ID"):
        raise JobspecError("Missing job ID")
    if " " in job["ID"]:
        raise JobspecError("Job ID contains a space", where)
    if not job.get("Name"):
        raise JobspecError("Missing job name", where)
    if job.get("Type") not in _JOB_TYPES:
        raise JobspecError(f'Invalid job type: "{job.get("Type")}"', where)
    if not isinstance(job.get("Priority"), int) or not 1 <= job["Priority"] <= 100:
        raise JobspecError("Job priority must be between [1, 100]", where)
    groups = job.get("TaskGroups") or []
    if not groups:
        raise JobspecError("Missing job task groups", where)
    seen = set()
    for group in groups:
        name = group.get("Name")
        if not name:
            raise JobspecError("Job task group is missing a name", where)
        if name in seen:
            raise JobspecError(f'Job task group redefines "{name}"', where)
        seen.add(name)
        _validate_group(group, job, where + (f'group "{name}"',))


def _validate_group(group, job, where):
    if not isinstance(group.get("Count"), int) or group["Count"] < 0:
        raise JobspecError("Task group count can't be negative", where)
    tasks = group.get("Tasks") or []
    if not tasks:
        raise JobspecError("Missing tasks for task group", where)
    _validate_restart(group.get("RestartPolicy"), where)
    _validate_update(group.get("Update"), where)
    networks = group.get("Networks") or []
    if len(networks) > 1:
        raise JobspecError("Only one network resource may be specified per task group", where)
    labels = _validate_networks(networks, where)
    connect = any((s.get("Connect") or {}).get("SidecarService") is not None for s in group.get("Services") or [])
    if connect:
        mode = networks[0].get("Mode") if networks else ""
        if mode != "bridge" and not str(mode).startswith("cni/"):
            raise JobspecError(f'Consul Connect sidecar requires bridge network, found "{mode or "host"}"', where)
    for service in group.get("Services") or []:
        _validate_service(service, labels, where + (f'service "{service.get("Name")}"',))
    names = set()
    for task in tasks:
        name = task.get("Name")
        if not name:
            raise JobspecError("Task is missing a name", where)
        if name in names:
            raise JobspecError(f'Task redefines "{name}"', where)
        names.add(name)
        _validate_task(task, labels, where + (f'task "{name}"',))


def _validate_restart(policy, where):
    if policy is None:
        return
    if policy.get("Mode") not in ("delay", "fail"):
        raise JobspecError(f'Unsupported restart mode: "{policy.get("Mode")}"', where + ("restart",))
    here = where + ("restart",)
    attempts, interval, delay = policy.get("Attempts") or 0, policy.get("Interval") or 0, policy.get("Delay") or 0
    if attempts < 0:
        raise JobspecError("Restart attempts can't be negative", here)
    if attempts == 0 and policy["Mode"] != "fail":
        raise JobspecError(f'Restart policy "{policy["Mode"]}" with 0 attempts is ambiguous', here)
    if interval < 5 * SECOND:
        raise JobspecError(f"Interval can not be less than 5s (got {format_duration(interval)})", here)
    if attempts * delay > interval:
        raise JobspecError(
            f"Nomad can't restart the TaskGroup {attempts} times in an interval of: {format_duration(interval)} "
            f"with a delay of: {format_duration(delay)}", here)


def _validate_update(update, where):
    if update is None:
        return
    here = where + ("update",)
    if update.get("HealthCheck") not in ("checks", "task_states", "manual"):
        raise JobspecError(f'Invalid health check given: "{update.get("HealthCheck")}"', here)
    if (update.get("MaxParallel") or 0) < 0:
        raise JobspecError("Max parallel can not be less than zero", here)
    if (update.get("Canary") or 0) < 0:
        raise JobspecError("Canary count can not be less than zero", here)
    if update.get("MaxParallel") == 0:
        return
    if update["MinHealthyTime"] >= update["HealthyDeadline"]:
        raise JobspecError(
            f"Minimum healthy time ({format_duration(update['MinHealthyTime'])}) must be less than "
            f"healthy deadline ({format_duration(update['HealthyDeadline'])})", here)
    if update["ProgressDeadline"] != 0 and update["HealthyDeadline"] >= update["ProgressDeadline"]:
        raise JobspecError(
            f"Healthy deadline ({format_duration(update['HealthyDeadline'])}) must be less than "
            f"progress deadline ({format_duration(update['ProgressDeadline'])})", here)


def _validate_networks(networks, where):
    labels = set()
    for network in networks:
        mode = network.get("Mode") or ""
        if mode not in ("", "host", "bridge", "none") and not mode.startswith("cni/"):
            raise JobspecError(f'Invalid network mode "{mode}"', where + ("network",))
        for port in (network.get("ReservedPorts") or []) + (network.get("DynamicPorts") or []):
            label = port.get("Label")
            if not label:
                raise JobspecError("Port is missing a label", where + ("network",))
            if label in labels:
                raise JobspecError(f'Port label "{label}" already in use', where + ("network",))
            labels.add(label)
            for key in ("Value", "To"):
                value = port.get(key) or 0
                if not -1 <= value <= 65535:
                    raise JobspecError(f'Port "{label}" {key} ({value}) must be between 0 and 65535',
                                       where + ("network",))
    return labels


def _validate_task(task, labels, where):
    if not task.get("Driver"):
        raise JobspecError("Missing task driver", where)
    for key in ("KillTimeout", "ShutdownDelay"):
        if (task.get(key) or 0) < 0:
            raise JobspecError(f"{key} must be a positive value", where)
    resources = task.get("Resources") or {}
    if (resources.get("CPU") or 0) < 1 and not resources.get("Cores"):
        raise JobspecError(f"minimum CPU value is 1; got {resources.get('CPU')}", where + ("resources",))
    if (resources.get("MemoryMB") or 0) < 10:
        raise JobspecError(f"minimum MemoryMB value is 10; got {resources.get('MemoryMB')}", where + ("resources",))
    lifecycle = task.get("Lifecycle")
    if lifecycle is not None and lifecycle.get("Hook") not in ("prestart", "poststart", "poststop"):
        raise JobspecError(f'invalid lifecycle hook "{lifecycle.get("Hook")}"', where + ("lifecycle",))
    _validate_restart(task.get("RestartPolicy"), where)
    for template in task.get("Templates") or []:
        if not template.get("DestPath"):
            raise JobspecError("Must specify a destination for the template", where + ("template",))
        if not template.get("SourcePath") and not template.get("EmbeddedTmpl"):
            raise JobspecError("Must specify a source path or have an embedded template", where + ("template",))
    for service in task.get("Services") or []:
        _validate_service(service, labels, where + (f'service "{service.get("Name")}"',))


def _validate_service(service, labels, where):
    name = service.get("Name") or ""
    if "${" not in name and not _SERVICE_NAME.match(name):
        raise JobspecError(
            f'Service name must be valid per RFC 1123 and can contain only alphanumeric characters or dashes: "{name}"',
            where)
    port = service.get("PortLabel") or ""
    if port and not port.isdigit() and "${" not in port and port not in labels:
        raise JobspecError(f'Port label "{port}" referenced by the service does not exist in the group network', where)
    names = set()
    for index, check in enumerate(service.get("Checks") or []):
        check_name = check.get("Name") or ""
        if check_name in names:
            raise JobspecError(f"Check {check_name!r} is defined twice", where)
        names.add(check_name)
        _validate_check(check, where + (f"check[{index}]",))
    upstreams = (((service.get("Connect") or {}).get("SidecarService") or {}).get("Proxy") or {}).get("Upstreams")
    for upstream in upstreams or []:
        if not upstream.get("DestinationName"):
            raise JobspecError("Consul Connect upstream requires a destination_name", where + ("upstreams",))
        if not 0 < (upstream.get("LocalBindPort") or 0) <= 65535 and not upstream.get("LocalBindSocketPath"):
            raise JobspecError(
                f'Consul Connect upstream "{upstream["DestinationName"]}" requires a local_bind_port',
                where + ("upstreams",))


def _validate_check(check, where):
    check_type = (check.get("Type") or "").lower()
    if check_type not in _CHECK_TYPES:
        raise JobspecError(f'invalid type ("{check.get("Type")}"), must be one of "http", "tcp", or "script" type',
                           where)
    if check_type == "http":
        path = check.get("Path") or ""
        if not path:
            raise JobspecError("http type must have http path", where)
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.\-]*://", path):
            raise JobspecError("http type must have relative http path", where)
    if check_type == "script" and not check.get("Command"):
        raise JobspecError("script type must have a valid script path", where)
    if check.get("Expose") and check_type not in ("http", "grpc"):
        raise JobspecError(f'expose may only be set on http or grpc checks, not "{check_type}"', where)
    interval = check.get("Interval") or 0
    if interval == 0:
        raise JobspecError("missing required value interval. Interval cannot be less than 1s", where)
    if interval < SECOND:
        raise JobspecError(f"interval ({format_duration(interval)}) cannot be lower than 1s", where)
    timeout = check.get("Timeout") or 0
    if timeout == 0:
        raise JobspecError("missing required value timeout. Timeout cannot be less than 1s", where)
    if timeout < SECOND:
        raise JobspecError(f"timeout ({format_duration(timeout)}) is lower than required minimum timeout 1s", where)
