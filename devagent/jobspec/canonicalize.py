"""Fill in Nomad's defaults on a JSON job, as api Canonicalize() and the server do."""

import copy
import re

from . import defaults, schema
from .errors import JobspecError
from .json_types import check_json_types
from .validate import validate_job

_ZERO = {"str": "", "int": 0, "float": 0, "bool": False, "dur": 0, "strs": None, "ints": None, "any": None}
# api pointer fields that Canonicalize leaves nil: Nomad's JSON shows null for them.
_NULLABLE = {
    id(schema.GROUP): {"ShutdownDelay", "StopAfterClientDisconnect", "MaxClientDisconnect", "PreventRescheduleOnLost"},
    id(schema.RESOURCES): {"DiskMB", "IOPS", "MemoryMaxMB"},
    id(schema.TEMPLATE): {"Uid", "Gid"},
    id(schema.LOGS): {"Enabled"},
    id(schema.NETWORK): {"MBits"},
}
_HCL_ONLY = {"distinct_hosts", "distinct_property", *schema.OPERATOR_SHORTHANDS}


def canonicalize_job(job):
    """Return a new job with Nomad's api and server defaults filled in, validated; idempotent."""
    try:
        out = api_canonicalize(job)
        _server_defaults(out)
        validate_job(out)
    except (TypeError, AttributeError, KeyError, ValueError) as exc:
        # Shapes the type check does not know (e.g. a list where an object belongs deep inside).
        raise JobspecError(f"invalid job: {type(exc).__name__}: {exc}") from None
    return out


def api_canonicalize(job):
    """Return a new job canonicalized as api.Job.Canonicalize() does (what /v1/jobs/parse returns)."""
    check_json_types(job)
    out = copy.deepcopy(job)
    _upgrade_deprecated(out)
    for key, value in defaults.job_fields().items():
        _default(out, key, value)
    _default(out, "Name", out["ID"])
    job_type = out["Type"]
    if out.get("Update") is not None:
        _fill_defaults(out["Update"], defaults.update_strategy())
    elif job_type == "service":
        out["Update"] = defaults.update_strategy()
    for group in out.get("TaskGroups") or []:
        _canonicalize_group(group, out)
    _canonicalize_placement(out)
    _fill_shape(out, schema.JOB)
    for key in ("Dispatched",):
        out.setdefault(key, False)
    for key in ("Payload", "DispatchIdempotencyToken", "Multiregion", "Periodic"):
        out.setdefault(key, None)
    return out


def _upgrade_deprecated(job):
    """Read the deprecated proxy ExposeConfig / Path fields into Expose / Paths, as the server does."""
    for group in job.get("TaskGroups") or []:
        services = list(group.get("Services") or [])
        for task in group.get("Tasks") or []:
            services += task.get("Services") or []
        for service in services:
            proxy = ((service.get("Connect") or {}).get("SidecarService") or {}).get("Proxy")
            if not proxy:
                continue
            legacy = proxy.pop("ExposeConfig", None)
            if proxy.get("Expose") is None and legacy is not None:
                proxy["Expose"] = legacy
            expose = proxy.get("Expose")
            if expose is not None:
                paths = expose.pop("Path", None)
                if expose.get("Paths") is None and paths is not None:
                    expose["Paths"] = paths


def _canonicalize_group(group, job):
    job_type = job["Type"]
    _default(group, "Name", "")
    _default(group, "Count", 1)
    if group.get("EphemeralDisk") is None:
        group["EphemeralDisk"] = defaults.ephemeral_disk()
    else:
        _fill_defaults(group["EphemeralDisk"], defaults.ephemeral_disk())

    job_update = job.get("Update")
    if job_update is not None and group.get("Update") is not None:
        group["Update"] = {**job_update, **_set_fields(group["Update"])}
    elif job_update is not None and not _update_empty(job_update):
        group["Update"] = dict(job_update)
    if group.get("Update") is not None:
        _fill_defaults(group["Update"], defaults.update_strategy())

    job_resched = job.get("Reschedule")
    if job_resched is not None:
        group["ReschedulePolicy"] = {**job_resched, **_set_fields(group.get("ReschedulePolicy") or {})}
    if group.get("ReschedulePolicy") is None and job_type not in ("system", "sysbatch"):
        group["ReschedulePolicy"] = defaults.reschedule_policy(job_type)
    if group.get("ReschedulePolicy") is not None:
        _fill_defaults(group["ReschedulePolicy"], defaults.reschedule_policy(job_type))

    job_migrate = job.get("Migrate")
    if job_migrate is not None:
        group["Migrate"] = {**job_migrate, **_set_fields(group.get("Migrate") or {})}
    if group.get("Migrate") is None and job_type == "service":
        group["Migrate"] = {}
    if group.get("Migrate") is not None:
        _fill_defaults(group["Migrate"], defaults.migrate_strategy())

    group["RestartPolicy"] = {**defaults.restart_policy(job_type), **_set_fields(group.get("RestartPolicy") or {})}
    if group.get("Disconnect") is not None:
        _fill_defaults(group["Disconnect"], {"Replace": True, "Reconcile": "best_score"})

    for task in group.get("Tasks") or []:
        _canonicalize_task(task, group, job)
    _canonicalize_placement(group)
    for network in group.get("Networks") or []:
        _fill_shape(network, schema.NETWORK)
        for port in (network.get("ReservedPorts") or []) + (network.get("DynamicPorts") or []):
            _fill_shape(port, schema.PORT, label="Label")
        network.setdefault("ReservedPorts", None)
    for service in group.get("Services") or []:
        _canonicalize_service(service, None, group, job)
    _fill_shape(group, schema.GROUP, label="Name")


def _canonicalize_task(task, group, job):
    task["Resources"] = _canonical_resources(task.get("Resources"))
    _default(task, "KillTimeout", 5 * defaults.SECOND)
    task["LogConfig"] = _canonical_logs(task.get("LogConfig"))
    for artifact in task.get("Artifacts") or []:
        _canonicalize_artifact(artifact)
    for template in task.get("Templates") or []:
        _canonicalize_template(template)
    for service in task.get("Services") or []:
        _canonicalize_service(service, task, group, job)
    _canonicalize_placement(task)
    task["RestartPolicy"] = {**group["RestartPolicy"], **_set_fields(task.get("RestartPolicy") or {})}
    _fill_shape(task, schema.TASK, label="Name")


def _canonicalize_placement(obj):
    """Constraints, affinities and spreads of a job, group or task: weights default to 50."""
    for constraint in obj.get("Constraints") or []:
        _fill_shape(constraint, schema.CONSTRAINT)
    for affinity in obj.get("Affinities") or []:
        _default(affinity, "Weight", 50)
        _fill_shape(affinity, schema.AFFINITY)
    for spread in obj.get("Spreads") or []:
        _default(spread, "Weight", 50)
        for target in spread.get("SpreadTarget") or []:
            _fill_shape(target, schema.SPREAD_TARGET, label="Value")
        _fill_shape(spread, schema.SPREAD)


def _canonical_resources(resources):
    out = dict(resources or {})
    if out.get("Cores") is None:
        out["Cores"] = 0
        _default(out, "CPU", 100)
    _default(out, "CPU", 0)
    _default(out, "MemoryMB", 300)
    _fill_shape(out, schema.RESOURCES)
    out.setdefault("Networks", None)
    out.setdefault("Devices", None)
    return out


def _canonical_logs(logs):
    out = dict(logs or {})
    _fill_defaults(out, defaults.log_config())
    _fill_shape(out, schema.LOGS)
    return out


def _canonicalize_artifact(artifact):
    _default(artifact, "GetterMode", "any")
    _default(artifact, "GetterInsecure", False)
    _default(artifact, "GetterSource", "")
    for key in ("GetterOptions", "GetterHeaders"):
        if not artifact.get(key):
            artifact[key] = None
    if artifact.get("RelativeDest") is None:
        if artifact["GetterMode"] == "file":
            artifact["RelativeDest"] = "local/" + artifact["GetterSource"].rstrip("/").rsplit("/", 1)[-1]
        else:
            artifact["RelativeDest"] = "local/"
    _fill_shape(artifact, schema.ARTIFACT)


def _canonicalize_template(template):
    _fill_defaults(template, defaults.template_fields())
    if template.get("ChangeSignal") is None:
        template["ChangeSignal"] = "SIGHUP" if template["ChangeMode"] == "signal" else ""
    else:
        template["ChangeSignal"] = str(template["ChangeSignal"]).upper()
    _fill_shape(template, schema.TEMPLATE)


def _canonicalize_service(service, task, group, job):
    if not service.get("Name"):
        parts = [job["Name"], group["Name"]] + ([task["Name"]] if task is not None else [])
        service["Name"] = "-".join(parts)
    for key, value in (("AddressMode", "auto"), ("OnUpdate", "require_healthy"), ("Provider", "consul"),
                       ("Cluster", "default")):
        if not service.get(key):
            service[key] = value
    for key in ("Meta", "CanaryMeta", "TaggedAddresses"):
        if not service.get(key):
            service[key] = None
    connect = service.get("Connect")
    if connect is not None:
        _canonicalize_connect(connect)
    service_restart = service.get("CheckRestart")
    for check in service.get("Checks") or []:
        check_restart = check.get("CheckRestart")
        if service_restart is not None:
            merged = dict(service_restart)
            if check_restart:
                if (check_restart.get("Limit") or 0) > 0:
                    merged["Limit"] = check_restart["Limit"]
                if check_restart.get("Grace") is not None:
                    merged["Grace"] = check_restart["Grace"]
                if check_restart.get("IgnoreWarnings"):
                    merged["IgnoreWarnings"] = True
            check_restart = merged
        if check_restart is not None:
            check_restart = dict(check_restart)
            _default(check_restart, "Grace", defaults.SECOND)
            _fill_shape(check_restart, schema.CHECK_RESTART)
        check["CheckRestart"] = check_restart
        for key in ("SuccessBeforePassing", "FailuresBeforeCritical", "FailuresBeforeWarning"):
            if (check.get(key) or 0) < 0:
                check[key] = 0
        if not check.get("OnUpdate"):
            check["OnUpdate"] = service["OnUpdate"]
        _fill_shape(check, schema.CHECK)
    _fill_shape(service, schema.SERVICE)


def _canonicalize_connect(connect):
    _fill_shape(connect, schema.CONNECT)
    sidecar = connect.get("SidecarService")
    if sidecar is not None:
        for key in ("Tags", "Meta"):
            if not sidecar.get(key):
                sidecar[key] = None
        proxy = sidecar.get("Proxy")
        if proxy is not None:
            _canonicalize_proxy(proxy)
        _fill_shape(sidecar, schema.SIDECAR_SERVICE)
    task = connect.get("SidecarTask")
    if task is not None:
        for key in ("Config", "Env", "Meta"):
            if not task.get(key):
                task[key] = None
        task["Resources"] = _canonical_resources(task.get("Resources"))
        task["LogConfig"] = _canonical_logs(task.get("LogConfig"))
        _default(task, "KillTimeout", 5 * defaults.SECOND)
        _default(task, "ShutdownDelay", 0)
        _fill_shape(task, schema.SIDECAR_TASK)


def _canonicalize_proxy(proxy):
    expose = proxy.get("Expose")
    if expose is not None:
        if not expose.get("Paths"):
            expose["Paths"] = None
        for path in expose.get("Paths") or []:
            _fill_shape(path, schema.EXPOSE_PATH)
    if not proxy.get("Upstreams"):
        proxy["Upstreams"] = None
    for upstream in proxy.get("Upstreams") or []:
        if not upstream.get("Config"):
            upstream["Config"] = None
        _fill_shape(upstream, schema.UPSTREAM)
    if not proxy.get("Config"):
        proxy["Config"] = None
    _fill_shape(proxy, schema.PROXY)


def _server_defaults(job):
    """Defaults the Nomad server adds on register/plan (beyond the api package)."""
    if not job.get("NodePool"):
        job["NodePool"] = "default"
    if not job.get("Datacenters"):
        job["Datacenters"] = ["*"]
    for group in job.get("TaskGroups") or []:
        for network in group.get("Networks") or []:
            for port in (network.get("ReservedPorts") or []) + (network.get("DynamicPorts") or []):
                if not port.get("HostNetwork"):
                    port["HostNetwork"] = "default"
        for service in group.get("Services") or []:
            _server_service_defaults(service, job, group, None)
        for task in group.get("Tasks") or []:
            for service in task.get("Services") or []:
                _server_service_defaults(service, job, group, task)


def _server_service_defaults(service, job, group, task):
    """structs.Service.Canonicalize: ${JOB}/${TASKGROUP}/${TASK}/${BASE} in names, check names and tasks."""
    task_name = task["Name"] if task is not None else ""
    base = "-".join([job["Name"], group["Name"]] + ([task_name] if task is not None else []))
    names = {"JOB": job["Name"], "TASKGROUP": group["Name"], "TASK": task_name, "BASE": base}
    service["Name"] = re.sub(r"\$\{(JOB|TASKGROUP|TASK|BASE)\}", lambda m: names[m.group(1)], service["Name"])
    for check in service.get("Checks") or []:
        if not check.get("Name"):
            check["Name"] = f'service: "{service["Name"]}" check'
        if task is not None and not check.get("TaskName"):
            check["TaskName"] = task_name


def _update_empty(update):
    """api.UpdateStrategy.Empty(): no field set to a non-zero value."""
    return not any(update.get(key) for key in defaults.update_strategy())


def _set_fields(obj):
    return {key: value for key, value in obj.items() if value is not None}


def _default(obj, key, value):
    if obj.get(key) is None:
        obj[key] = copy.deepcopy(value)


def _fill_defaults(obj, values):
    for key, value in values.items():
        _default(obj, key, value)


def _fill_shape(obj, spec, label=None):
    """Give every field the object type has a value (Go zero values), so equal jobs compare equal."""
    if label:
        obj.setdefault(label, "")
    nullable = _NULLABLE.get(id(spec), ())
    for json_name, kind in spec.attributes.values():
        if json_name in _HCL_ONLY:
            continue
        obj.setdefault(json_name, None if json_name in nullable else _ZERO[kind])
    for nested in spec.blocks.values():
        obj.setdefault(nested.json, None)
