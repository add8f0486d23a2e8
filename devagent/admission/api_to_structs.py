"""The HTTP agent's ApiJobToStructJob: an api-canonicalized job (api.Job JSON) to the server's structs.Job JSON."""

from __future__ import annotations

import copy

from devagent.admission.structs_shape import shaped, zero
from devagent.gopanic import GoPanic

# structs.Job fields the agent never copies from the request: the server owns them.
_SERVER_JOB_FIELDS = ("ParentID", "Dispatched", "DispatchIdempotencyToken", "ConsulNamespace", "NomadTokenID",
                      "Status", "StatusDescription", "Stable", "Version", "SubmitTime", "CreateIndex",
                      "ModifyIndex", "JobModifyIndex")
_VOLUME_TYPES = ("host", "csi")


def api_job_to_struct_job(api_job: dict) -> dict:
    """structs.Job JSON for a job that api.Job.Canonicalize() has already filled."""
    source = {k: v for k, v in api_job.items() if k not in _SERVER_JOB_FIELDS + ("Update", "TaskGroups")}
    job = shaped("Job", source)
    update = api_job.get("Update") or {}
    if (update.get("MaxParallel") or 0) > 0:
        job["Update"]["Stagger"] = update.get("Stagger") or 0
        job["Update"]["MaxParallel"] = update["MaxParallel"]
    if not api_job.get("Spreads"):
        job["Spreads"] = None
    ui = api_job.get("UI")
    if ui is not None:  # api.JobUILink's URL is structs.JobUILink's Url
        links = [{"Label": link.get("Label") or "", "Url": link.get("URL") or ""} for link in ui.get("Links") or []]
        job["UI"] = {"Description": ui.get("Description") or "", "Links": links or None}
    if api_job.get("TaskGroups"):
        job["TaskGroups"] = [_group(job, group) for group in api_job["TaskGroups"]]
    return job


def _group(job: dict, api_group: dict) -> dict:
    source = {k: v for k, v in api_group.items() if k not in ("Services", "Tasks", "Volumes", "Scaling", "Networks")}
    group = shaped("TaskGroup", source)
    group["Networks"] = networks_to_structs(api_group.get("Networks"))
    group["Services"] = _services(api_group.get("Services"), group_level=True)
    if not api_group.get("Spreads"):
        group["Spreads"] = None
    volumes = {name: vol for name, vol in (api_group.get("Volumes") or {}).items()
               if vol is not None and vol.get("Type") in _VOLUME_TYPES}
    if volumes:
        group["Volumes"] = {name: shaped("VolumeRequest", vol) for name, vol in volumes.items()}
    if api_group.get("Scaling") is not None:
        group["Scaling"] = _scaling(api_group["Scaling"], group["Count"],
                                    {"Namespace": job["Namespace"], "Job": job["ID"], "Group": group["Name"]})
    if api_group.get("Tasks"):
        group["Tasks"] = [_task(job, group, task) for task in api_group["Tasks"]]
    return group


def _task(job: dict, group: dict, api_task: dict) -> dict:
    skip = ("Services", "Resources", "LogConfig", "ScalingPolicies", "Identities", "Schedule")
    task = shaped("Task", {k: v for k, v in api_task.items() if k not in skip})
    task["Identities"] = [shaped("WorkloadIdentity", i) for i in api_task["Identities"] if i is not None] \
        if api_task.get("Identities") else None
    task["Services"] = _services(api_task.get("Services"), group_level=False)
    task["Resources"] = resources_to_structs(api_task.get("Resources"))
    task["LogConfig"] = _log_config(api_task.get("LogConfig"))
    task["VolumeMounts"] = _volume_mounts(api_task.get("VolumeMounts"))
    if api_task.get("ScalingPolicies"):
        target = {"Namespace": job["Namespace"], "Job": job["ID"], "Group": group["Name"], "Task": task["Name"]}
        task["ScalingPolicies"] = [_scaling(p, 0, target) for p in api_task["ScalingPolicies"]]
    schedule = api_task.get("Schedule")
    if schedule is not None and schedule.get("Cron") is not None:
        task["Schedule"] = shaped("TaskSchedule", schedule)
    vault = task.get("Vault")
    if vault is not None and not vault["Namespace"] and job["VaultNamespace"]:
        vault["Namespace"] = job["VaultNamespace"]
    return task


def resources_to_structs(api_resources: dict | None) -> dict | None:
    """ApiResourcesToStructs: DiskMB is not carried over; empty networks and devices stay nil."""
    if api_resources is None:
        return None
    resources = shaped("Resources", {k: v for k, v in api_resources.items() if k not in ("DiskMB", "Networks")})
    resources["Networks"] = networks_to_structs(api_resources.get("Networks"))
    if not api_resources.get("Devices"):
        resources["Devices"] = None
    return resources


def networks_to_structs(api_networks: list | None) -> list | None:
    """ApiNetworkResourceToStructs: Device is not carried over, MBits defaults to 0, empty port lists are nil."""
    if not api_networks:
        return None
    out = []
    for api_network in api_networks:
        network = shaped("NetworkResource", {k: v for k, v in api_network.items() if k != "Device"})
        for key in ("DynamicPorts", "ReservedPorts"):
            if not api_network.get(key):
                network[key] = None
        out.append(network)
    return out


def _log_config(api_logs: dict | None) -> dict | None:
    if api_logs is None:
        return None
    return shaped("LogConfig", {k: api_logs.get(k) for k in ("MaxFiles", "MaxFileSizeMB", "Disabled")})


def _services(api_services: list | None, group_level: bool) -> list | None:
    if not api_services:
        return None
    return [_service(service, group_level) for service in api_services]


def _service(api_service: dict, group_level: bool) -> dict:
    source = {k: v for k, v in api_service.items() if k not in ("Namespace", "Checks", "Connect")}
    service = shaped("Service", source)
    checks = api_service.get("Checks")
    if checks:
        service["Checks"] = [_check(check, service["OnUpdate"], group_level) for check in checks]
    if api_service.get("Connect") is not None:
        service["Connect"] = _connect(api_service["Connect"])
    return service


def _check(api_check: dict, service_on_update: str, group_level: bool) -> dict:
    check = shaped("ServiceCheck", api_check)
    check["OnUpdate"] = api_check.get("OnUpdate") or service_on_update
    if not group_level:
        check["TaskName"] = ""
    return check


def _connect(api_connect: dict) -> dict:
    connect = shaped("ConsulConnect", {k: v for k, v in api_connect.items() if k not in ("SidecarService", "SidecarTask")})
    sidecar = api_connect.get("SidecarService")
    if sidecar is not None:
        connect["SidecarService"] = shaped("ConsulSidecarService", {k: v for k, v in sidecar.items() if k != "Proxy"})
        if sidecar.get("Proxy") is not None:
            connect["SidecarService"]["Proxy"] = _proxy(sidecar["Proxy"])
    task = api_connect.get("SidecarTask")
    if task is not None:
        connect["SidecarTask"] = shaped("SidecarTask", {k: v for k, v in task.items() if k not in ("Resources", "LogConfig")})
        connect["SidecarTask"]["Resources"] = resources_to_structs(task.get("Resources"))
        connect["SidecarTask"]["LogConfig"] = _log_config(task.get("LogConfig"))
        connect["SidecarTask"]["VolumeMounts"] = _volume_mounts(task.get("VolumeMounts"))
    gateway = connect.get("Gateway")
    if gateway is not None and gateway.get("Mesh") is not None:
        gateway["Mesh"] = {}
    if gateway is not None and gateway.get("Proxy") is not None:
        gateway["Proxy"]["EnvoyGatewayBindAddresses"] = gateway["Proxy"]["EnvoyGatewayBindAddresses"] or {}
    return connect


def _proxy(api_proxy: dict) -> dict:
    expose = api_proxy.get("ExposeConfig") or api_proxy.get("Expose")
    proxy = shaped("ConsulProxy", {k: v for k, v in api_proxy.items() if k not in ("Expose", "ExposeConfig", "Upstreams")})
    if expose is not None:
        paths = expose.get("Path") or expose.get("Paths")
        proxy["Expose"] = {"Paths": [shaped("ConsulExposePath", p) for p in paths] if paths else None}
    upstreams = api_proxy.get("Upstreams")
    proxy["Upstreams"] = [shaped("ConsulUpstream", u) for u in upstreams] if upstreams else None
    return proxy


def _volume_mounts(api_mounts: list | None) -> list | None:
    """apiVolumeMountsToStructs: a mount naming no volume is dropped; one with no destination makes Nomad panic."""
    if api_mounts is None:
        return None
    mounts = []
    for mount in api_mounts:
        if mount is None or mount.get("Volume") is None:
            continue
        if mount.get("Destination") is None:
            raise GoPanic()  # Destination: *mount.Destination
        mounts.append(shaped("VolumeMount", mount))
    return mounts


def _scaling(api_policy: dict, count: int, target: dict) -> dict:
    """ApiScalingPolicyToStructs plus its Target*: min defaults to the group count."""
    policy = zero("ScalingPolicy")
    policy.update(Type=api_policy.get("Type") or "", Policy=copy.deepcopy(api_policy.get("Policy")),
                  Min=api_policy["Min"] if api_policy.get("Min") is not None else count,
                  Max=api_policy["Max"] if api_policy.get("Max") is not None else -1,  # Validate catches it
                  Enabled=api_policy["Enabled"] if api_policy.get("Enabled") is not None else True, Target=target)
    return policy
