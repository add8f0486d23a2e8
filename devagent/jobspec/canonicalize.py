"""api.Job.Canonicalize() (hashicorp/nomad api/*.go) on a JSON job: what /v1/jobs/parse returns.

The job is first decoded as Go's encoding/json decodes it into api.Job (json_types), so a
key that is absent or null is a nil pointer; Canonicalize fills the defaults the api
package fills, and the result is written in Go's full JSON shape. The server's own
canonicalization and validation are devagent.admission's.
"""

import copy

from devagent.durations import SECOND

from . import defaults
from .json_types import decode_job, shape
from .hcl_files import go_base, go_clean
from devagent.admission.go_text import go_upper


def api_canonicalize(job):
    """Return a new job canonicalized as api.Job.Canonicalize() does, in Nomad's JSON shape."""
    out = decode_job(copy.deepcopy(job))
    canonicalize_job_struct(out)
    return shape(out, "Job")


def api_shape(job):
    """A decoded (not canonicalized) job in Go's JSON shape, as /v1/jobs/parse answers without Canonicalize."""
    return shape(job, "Job")


def _default(obj, key, value):
    if obj.get(key) is None:
        obj[key] = copy.deepcopy(value)


def _fill(obj, values):
    for key, value in values.items():
        _default(obj, key, value)


def _empty_to_none(obj, *keys):
    for key in keys:
        if not obj.get(key):
            obj[key] = None


def canonicalize_job_struct(job):
    """Job.Canonicalize on a decoded job dict, in place."""
    _fill(job, {"ID": ""})
    _default(job, "Name", job["ID"])
    _fill(job, {"ParentID": "", "Namespace": "default", "Priority": 50, "Stop": False, "Region": "global",
                "NodePool": "", "Type": "service", "AllAtOnce": False, "ConsulToken": "", "ConsulNamespace": "",
                "VaultToken": "", "VaultNamespace": "", "NomadTokenID": "", "Status": "", "StatusDescription": "",
                "Stable": False, "Version": 0, "CreateIndex": 0, "ModifyIndex": 0, "JobModifyIndex": 0})
    if job.get("Periodic") is not None:
        periodic = job["Periodic"]
        _fill(periodic, {"Enabled": True, "Spec": "", "Specs": [], "SpecType": "cron", "ProhibitOverlap": False})
        if not periodic.get("TimeZone"):
            periodic["TimeZone"] = "UTC"
    if job.get("Update") is not None:
        _fill(job["Update"], defaults.update_strategy())
    elif job["Type"] == "service":
        job["Update"] = defaults.update_strategy()
    if job.get("Multiregion") is not None:
        _canonicalize_multiregion(job["Multiregion"])
    for group in job.get("TaskGroups") or []:
        _canonicalize_group(group, job)
    for spread in job.get("Spreads") or []:
        _default(spread, "Weight", 50)
    for affinity in job.get("Affinities") or []:
        _default(affinity, "Weight", 50)
    if job.get("UI") is not None and not job["UI"].get("Links"):
        job["UI"]["Links"] = None


def _canonicalize_multiregion(multiregion):
    if multiregion.get("Strategy") is None:
        multiregion["Strategy"] = {}
    _fill(multiregion["Strategy"], {"MaxParallel": 0, "OnFailure": ""})
    if multiregion.get("Regions") is None:
        multiregion["Regions"] = []
    for region in multiregion["Regions"]:
        _fill(region, {"Count": 1, "Datacenters": [], "Meta": {}})


def _canonicalize_group(group, job):
    job_type = job["Type"]
    _default(group, "Name", "")
    if group.get("Count") is None:
        scaling = group.get("Scaling")
        group["Count"] = int(scaling["Min"]) if scaling is not None and scaling.get("Min") is not None else 1
    if group.get("Scaling") is not None:
        scaling = group["Scaling"]
        _default(scaling, "Enabled", True)
        _default(scaling, "Min", group["Count"])
        if not scaling.get("Type"):
            scaling["Type"] = "horizontal"
    if group.get("EphemeralDisk") is None:
        group["EphemeralDisk"] = defaults.ephemeral_disk()
    else:
        _fill(group["EphemeralDisk"], defaults.ephemeral_disk())

    if group.get("Consul") is None:
        group["Consul"] = {}
    consul = group["Consul"]
    if not consul.get("Namespace") and job.get("ConsulNamespace") is not None:
        consul["Namespace"] = job["ConsulNamespace"]
    _canonicalize_consul(consul)

    job_update, group_update = job.get("Update"), group.get("Update")
    if job_update is not None and group_update is not None:
        group["Update"] = {**job_update, **_set_fields(group_update)}
    elif job_update is not None and not _update_empty(job_update):
        group["Update"] = dict(job_update)
    if group.get("Update") is not None:
        _fill(group["Update"], defaults.update_strategy())

    job_resched = job.get("Reschedule")
    if job_resched is not None:
        group["ReschedulePolicy"] = {**job_resched, **_set_fields(group.get("ReschedulePolicy") or {})}
    if group.get("ReschedulePolicy") is None and job_type != "system":
        group["ReschedulePolicy"] = defaults.reschedule_policy(job_type)
    if group.get("ReschedulePolicy") is not None:
        _fill(group["ReschedulePolicy"], defaults.reschedule_policy(job_type))

    job_migrate = job.get("Migrate")
    if job_migrate is not None:
        group["Migrate"] = {**job_migrate, **_set_fields(group.get("Migrate") or {})}
    if group.get("Migrate") is None and job_type == "service":
        group["Migrate"] = {}
    if group.get("Migrate") is not None:
        _fill(group["Migrate"], defaults.migrate_strategy())

    group["RestartPolicy"] = {**defaults.restart_policy(job_type), **_set_fields(group.get("RestartPolicy") or {})}

    for task in group.get("Tasks") or []:
        _canonicalize_task(task, group, job)
    for spread in group.get("Spreads") or []:
        _default(spread, "Weight", 50)
    for affinity in group.get("Affinities") or []:
        _default(affinity, "Weight", 50)
    for service in group.get("Services") or []:
        _canonicalize_service(service, None, group, job)
    _default(group, "PreventRescheduleOnLost", False)
    if group.get("Disconnect") is not None:
        _fill(group["Disconnect"], {"Replace": True, "Reconcile": "best_score"})


def _canonicalize_consul(consul):
    if not consul.get("Cluster"):
        consul["Cluster"] = "default"


def _canonicalize_task(task, group, job):
    task["Resources"] = _canonical_resources(task.get("Resources") or {})
    _default(task, "KillTimeout", defaults.KILL_TIMEOUT)
    task["LogConfig"] = _canonical_logs(task.get("LogConfig"))
    for artifact in task.get("Artifacts") or []:
        _canonicalize_artifact(artifact)
    if task.get("Vault") is not None:
        vault = task["Vault"]
        _fill(vault, {"Env": True, "DisableFile": False, "Namespace": ""})
        if not vault.get("Cluster"):
            vault["Cluster"] = "default"
        _fill(vault, {"ChangeMode": "restart", "ChangeSignal": "SIGHUP", "AllowTokenExpiration": False})
    if task.get("Consul") is not None:
        _canonicalize_consul(task["Consul"])
    for template in task.get("Templates") or []:
        _canonicalize_template(template)
    for service in task.get("Services") or []:
        _canonicalize_service(service, task, group, job)
    for affinity in task.get("Affinities") or []:
        _default(affinity, "Weight", 50)
    for mount in task.get("VolumeMounts") or []:
        _canonicalize_volume_mount(mount)
    lifecycle = task.get("Lifecycle")
    if lifecycle is None or not lifecycle.get("Hook"):
        task["Lifecycle"] = None
    plugin = task.get("CSIPluginConfig")
    if plugin is not None:
        if not plugin.get("MountDir"):
            plugin["MountDir"] = "/csi"
        if not plugin.get("StagePublishBaseDir"):
            plugin["StagePublishBaseDir"] = "/local/csi"
        if not plugin.get("HealthTimeout"):
            plugin["HealthTimeout"] = 30 * SECOND
    task["RestartPolicy"] = {**group["RestartPolicy"], **_set_fields(task.get("RestartPolicy") or {})}


def _canonicalize_volume_mount(mount):
    _fill(mount, {"PropagationMode": "private", "ReadOnly": False, "SELinuxLabel": ""})


def _canonical_resources(resources):
    out = dict(resources)
    if out.get("Cores") is None:
        out["Cores"] = 0
        _default(out, "CPU", 100)
    _default(out, "CPU", 0)
    _default(out, "MemoryMB", 300)
    for device in out.get("Devices") or []:
        _default(device, "Count", 1)
        for affinity in device.get("Affinities") or []:
            _default(affinity, "Weight", 50)
    numa = out.get("NUMA")
    if numa is not None and not numa.get("Affinity"):
        numa["Affinity"] = "none"
    return out


def _canonical_logs(logs):
    out = dict(logs or {})
    _fill(out, defaults.log_config())
    return out


def _canonicalize_artifact(artifact):
    _fill(artifact, {"GetterMode": "any", "GetterInsecure": False, "GetterSource": ""})
    _empty_to_none(artifact, "GetterOptions", "GetterHeaders")
    if artifact.get("RelativeDest") is None:
        if artifact["GetterMode"] == "file":
            # filepath.Join("local", path.Base(source)): a base of "/" joins to "local"
            artifact["RelativeDest"] = go_clean("local/" + go_base(artifact["GetterSource"]))
        else:
            artifact["RelativeDest"] = "local/"


def _canonicalize_template(template):
    _fill(template, {"SourcePath": "", "DestPath": "", "EmbeddedTmpl": "", "ChangeMode": "restart"})
    if template.get("ChangeSignal") is None:
        template["ChangeSignal"] = "SIGHUP" if template["ChangeMode"] == "signal" else ""
    else:
        template["ChangeSignal"] = go_upper(template["ChangeSignal"])
    script = template.get("ChangeScript")
    if script is not None:
        _fill(script, {"Command": "", "Args": [], "Timeout": 5 * SECOND, "FailOnError": False})
    _fill(template, {"Splay": 5 * SECOND, "Perms": "0644", "LeftDelim": "{{", "RightDelim": "}}", "Envvars": False,
                     "ErrMissingKey": False, "VaultGrace": 0})


def _canonicalize_service(service, task, group, job):
    if not service.get("Name"):
        parts = [job["Name"], group["Name"]] + ([task["Name"]] if task is not None else [])
        service["Name"] = "-".join(parts)
    for key, value in (("AddressMode", "auto"), ("OnUpdate", "require_healthy"), ("Provider", "consul"),
                       ("Cluster", "default")):
        if not service.get(key):
            service[key] = value
    _empty_to_none(service, "Meta", "CanaryMeta", "TaggedAddresses")
    if service.get("Connect") is not None:
        _canonicalize_connect(service["Connect"])
    service_restart = service.get("CheckRestart")
    for check in service.get("Checks") or []:
        check["CheckRestart"] = _merge_check_restart(service_restart, check.get("CheckRestart"))
        if check["CheckRestart"] is not None:
            _default(check["CheckRestart"], "Grace", SECOND)
        for key in ("SuccessBeforePassing", "FailuresBeforeCritical", "FailuresBeforeWarning"):
            if (check.get(key) or 0) < 0:
                check[key] = 0
        if not check.get("OnUpdate"):
            check["OnUpdate"] = service["OnUpdate"]


def _merge_check_restart(service_restart, check_restart):
    """CheckRestart.Merge: the service's settings, overridden by the check's."""
    if service_restart is None:
        return check_restart
    merged = dict(service_restart)
    if check_restart is None:
        return merged
    if (check_restart.get("Limit") or 0) > 0:
        merged["Limit"] = check_restart["Limit"]
    if check_restart.get("Grace") is not None:
        merged["Grace"] = check_restart["Grace"]
    if check_restart.get("IgnoreWarnings"):
        merged["IgnoreWarnings"] = True
    return merged


def _canonicalize_connect(connect):
    sidecar = connect.get("SidecarService")
    if sidecar is not None:
        _empty_to_none(sidecar, "Tags", "Meta")
        if sidecar.get("Proxy") is not None:
            _canonicalize_proxy(sidecar["Proxy"])
    task = connect.get("SidecarTask")
    if task is not None:
        _empty_to_none(task, "Config", "Env")
        task["Resources"] = _canonical_resources(task["Resources"]) if task.get("Resources") is not None else \
            {"CPU": 100, "Cores": 0, "MemoryMB": 300}
        task["LogConfig"] = _canonical_logs(task.get("LogConfig"))
        _empty_to_none(task, "Meta")
        _default(task, "KillTimeout", defaults.KILL_TIMEOUT)
        _default(task, "ShutdownDelay", 0)
        for mount in task.get("VolumeMounts") or []:
            _canonicalize_volume_mount(mount)
    gateway = connect.get("Gateway")
    if gateway is not None:
        _canonicalize_gateway(gateway)


def _canonicalize_proxy(proxy):
    expose = proxy.get("Expose")
    if expose is not None:
        _empty_to_none(expose, "Paths", "Path")
    _empty_to_none(proxy, "Upstreams")
    tproxy = proxy.get("TransparentProxy")
    if tproxy is not None:
        _empty_to_none(tproxy, "ExcludeInboundPorts", "ExcludeOutboundCIDRs", "ExcludeOutboundPorts", "ExcludeUIDs")
    for upstream in proxy.get("Upstreams") or []:
        _empty_to_none(upstream, "Config")
    _empty_to_none(proxy, "Config")


def _canonicalize_gateway(gateway):
    proxy = gateway.get("Proxy")
    if proxy is not None:
        _default(proxy, "ConnectTimeout", 5 * SECOND)
        _empty_to_none(proxy, "EnvoyGatewayBindAddresses", "Config")
    ingress = gateway.get("Ingress")
    if ingress is not None:
        _empty_to_none(ingress, "Listeners")
        for listener in ingress.get("Listeners") or []:
            if not listener.get("Protocol"):
                listener["Protocol"] = "tcp"
            _empty_to_none(listener, "Services")
    terminating = gateway.get("Terminating")
    if terminating is not None:
        _empty_to_none(terminating, "Services")


def _update_empty(update):
    """api.UpdateStrategy.Empty(): no field set to a non-zero value."""
    return not any(update.get(key) for key in defaults.update_strategy())


def _set_fields(obj):
    return {key: value for key, value in obj.items() if value is not None}
