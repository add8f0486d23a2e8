"""Nomad's `connect` admission hook: sidecar and gateway task injection (mutator) and its checks (validator)."""

from __future__ import annotations

import copy
import re
import uuid

from devagent.admission.go_text import go_upper, quote
from devagent.gopanic import GoPanic
from devagent.admission.structs_canonicalize import canonicalize_network, canonicalize_task
from devagent.admission.structs_shape import shaped
from devagent.durations import SECOND
from devagent.gostrconv import parse_uint

NAME = "connect"
PROXY_PREFIX = "connect-proxy"
NATIVE_PREFIX = "connect-native"
INGRESS_PREFIX = "connect-ingress"
TERMINATING_PREFIX = "connect-terminating"
MESH_PREFIX = "connect-mesh"
ENVOY_BOOTSTRAP_PATH = "${NOMAD_SECRETS_DIR}/envoy_bootstrap.json"
DEFAULT_GATEWAY_CONNECT_TIMEOUT = 5 * SECOND


class ConnectError(ValueError):
    """A Connect block the hook cannot work with (Nomad's message)."""


def constraint(ltarget: str, rtarget: str, operand: str) -> dict:
    """A structs.Constraint."""
    return {"LTarget": ltarget, "RTarget": rtarget, "Operand": operand}


def consul_version_constraint(cluster: str = "default") -> dict:
    """Consul >= 1.8.0 on the node (the JWT-auth-capable versions), per cluster."""
    if cluster not in ("default", ""):
        return constraint(f"${{attr.consul.{cluster}.version}}", ">= 1.8.0", "semver")
    return constraint("${attr.consul.version}", ">= 1.8.0", "semver")


def _listener_constraint(cluster: str) -> dict:
    attr = "${attr.consul.grpc}" if cluster == "default" else f"${{attr.consul.{cluster}.grpc}}"
    return constraint(attr, "0", ">")


def _tls_version_constraint(cluster: str) -> dict:
    attr = "${attr.consul.version}" if cluster == "default" else f"${{attr.consul.{cluster}.version}}"
    return constraint(attr, ">= 1.11.2", "semver")


def task_kind(prefix: str, service: str) -> str:
    """structs.NewTaskKind."""
    return f"{prefix}:{service}"


def has_sidecar(service: dict) -> bool:
    return (service.get("Connect") or {}).get("SidecarService") is not None


def is_native(service: dict) -> bool:
    return bool((service.get("Connect") or {}).get("Native"))


def gateway_of(service: dict) -> dict | None:
    return (service.get("Connect") or {}).get("Gateway")


# -- mutator -------------------------------------------------------------------------------
def mutate(job: dict) -> tuple[dict, list]:
    """jobConnectHook.Mutate: groups without a network are left for the validators to report."""
    for group in job.get("TaskGroups") or []:
        if not group.get("Networks"):
            continue
        _group_connect_hook(job, group)
    return job, []


def _group_connect_hook(job: dict, group: dict) -> None:
    for service in group.get("Services") or []:
        if has_sidecar(service):
            _inject_sidecar(job, group, service)
        elif is_native(service):
            task = _native_task(group, service["Name"], service.get("TaskName") or "")
            task["Kind"] = task_kind(NATIVE_PREFIX, service["Name"])
            service["TaskName"] = task["Name"]
        elif gateway_of(service) is not None:
            _inject_gateway(job, group, service)
    canonicalize_network(group["Networks"][0])


def _inject_sidecar(job: dict, group: dict, service: dict) -> None:
    service["Name"] = interpolate_submit_env(service["Name"], job, group)
    kind = task_kind(PROXY_PREFIX, service["Name"])
    task = next((t for t in group.get("Tasks") or [] if t.get("Kind") == kind), None)
    if task is None:
        task = _new_sidecar_task(service["Name"], _guess_driver(group))
        if any(t.get("Name") == task["Name"] for t in group.get("Tasks") or []):
            task["Name"] = f"{task['Name']}-{uuid.uuid4()}"[:len(task["Name"]) + 7]
        group["Tasks"] = (group.get("Tasks") or []) + [task]
    sidecar_task = service["Connect"].get("SidecarTask")
    if sidecar_task is not None:
        merge_sidecar_task(sidecar_task, task)
    canonicalize_task(job, group, task)
    label = service["Connect"]["SidecarService"].get("Port") or f"{PROXY_PREFIX}-{service['Name']}"
    inject_port(group, label)


def _inject_gateway(job: dict, group: dict, service: dict) -> None:
    service["Name"] = interpolate_submit_env(service["Name"], job, group)
    gateway = gateway_of(service)
    mode = group["Networks"][0].get("Mode") or ""
    gateway["Proxy"] = _gateway_proxy(gateway, mode)
    if gateway.get("Terminating") is not None and not service.get("PortLabel"):
        label = f"{TERMINATING_PREFIX}-{service['Name']}"
        service["PortLabel"] = label
        inject_port(group, label)
    if gateway.get("Mesh") is not None:
        if not service.get("PortLabel"):
            raise ConnectError("service.port must be set for mesh gateway service")
        inject_port(group, f"{MESH_PREFIX}-{service['Name']}-lan")
    prefix = _gateway_prefix(gateway)
    kinds = {task_kind(p, service["Name"]) for p in (INGRESS_PREFIX, TERMINATING_PREFIX, MESH_PREFIX)}
    if any(t.get("Kind") in kinds for t in group.get("Tasks") or []):
        return
    task = _new_gateway_task(prefix, service["Name"], _guess_driver(group), mode == "host", _customized_tls(gateway))
    group["Tasks"] = (group.get("Tasks") or []) + [task]
    if service["Connect"].get("SidecarTask") is not None:
        merge_sidecar_task(service["Connect"]["SidecarTask"], task)
    canonicalize_task(job, group, task)


def _gateway_prefix(gateway: dict) -> str:
    if gateway.get("Mesh") is not None:
        return MESH_PREFIX
    if gateway.get("Ingress") is not None:
        return INGRESS_PREFIX
    return TERMINATING_PREFIX


def _customized_tls(gateway: dict) -> bool:
    tls = (gateway.get("Ingress") or {}).get("TLS")
    return tls is not None and bool(tls.get("TLSMinVersion") or tls.get("TLSMaxVersion") or tls.get("CipherSuites"))


def _gateway_proxy(gateway: dict, mode: str) -> dict:
    """gatewayProxy: keep a customized proxy; otherwise a default one with bind addresses for bridge mode."""
    given = gateway.get("Proxy")
    if given is not None and (given.get("EnvoyGatewayNoDefaultBind") or given.get("EnvoyGatewayBindTaggedAddresses")
                              or given.get("EnvoyGatewayBindAddresses")):
        return given
    proxy = shaped("ConsulGatewayProxy", None)
    if given is not None:
        proxy.update(ConnectTimeout=given.get("ConnectTimeout"), EnvoyDNSDiscoveryType=given.get("EnvoyDNSDiscoveryType") or "",
                     Config=given.get("Config"))
    if proxy["ConnectTimeout"] is None:
        proxy["ConnectTimeout"] = DEFAULT_GATEWAY_CONNECT_TIMEOUT
    if mode == "bridge":
        if gateway.get("Ingress") is not None:
            addresses = {}
            for listener in gateway["Ingress"].get("Listeners") or []:
                for ingress_service in listener.get("Services") or []:
                    addresses[ingress_service["Name"]] = {"Address": "0.0.0.0", "Port": listener.get("Port") or 0}
        elif gateway.get("Terminating") is not None:
            addresses = {"default": {"Address": "0.0.0.0", "Port": -1}}
        elif gateway.get("Mesh") is not None:
            addresses = {"wan": {"Address": "0.0.0.0", "Port": -1}, "lan": {"Address": "0.0.0.0", "Port": -1}}
        else:
            return proxy
        proxy.update(EnvoyGatewayNoDefaultBind=True, EnvoyGatewayBindTaggedAddresses=False,
                     EnvoyGatewayBindAddresses=addresses)
    return proxy


def _guess_driver(group: dict) -> str:
    drivers = {t.get("Driver") for t in group.get("Tasks") or []}
    return "podman" if "podman" in drivers and "docker" not in drivers else "docker"


def _envoy_args() -> list[str]:
    return ["-c", ENVOY_BOOTSTRAP_PATH, "-l", "${meta.connect.log_level}",
            "--concurrency", "${meta.connect.proxy_concurrency}", "--disable-hot-restart"]


def _new_sidecar_task(service_name: str, driver: str) -> dict:
    return shaped("Task", {
        "Name": f"{PROXY_PREFIX}-{service_name}", "Kind": task_kind(PROXY_PREFIX, service_name), "Driver": driver,
        "Config": {"image": "${meta.connect.sidecar_image}", "args": _envoy_args()},
        "ShutdownDelay": 5 * SECOND, "LogConfig": {"MaxFiles": 2, "MaxFileSizeMB": 2, "Disabled": False},
        "Resources": shaped("Resources", {"CPU": 250, "MemoryMB": 128}),
        "Lifecycle": {"Hook": "prestart", "Sidecar": True},
        "Constraints": [consul_version_constraint(), _listener_constraint("default")],
    })


def _new_gateway_task(prefix: str, service_name: str, driver: str, host_network: bool, customized_tls: bool) -> dict:
    config = {"image": "${meta.connect.gateway_image}", "args": _envoy_args()}
    if host_network:
        config["network_mode"] = "host"
    constraints = [consul_version_constraint(), _listener_constraint("default")]
    if customized_tls:
        constraints.append(_tls_version_constraint("default"))
    return shaped("Task", {
        "Name": f"{prefix}-{service_name}", "Kind": task_kind(prefix, service_name), "Driver": driver,
        "Config": config, "ShutdownDelay": 5 * SECOND,
        "LogConfig": {"MaxFiles": 2, "MaxFileSizeMB": 2, "Disabled": False},
        "Resources": shaped("Resources", {"CPU": 250, "MemoryMB": 128}), "Constraints": constraints,
    })


def merge_sidecar_task(sidecar: dict, task: dict) -> None:
    """structs.SidecarTask.MergeIntoTask: the sidecar_task block's set fields override the injected task."""
    if sidecar.get("Name"):
        task["Name"] = sidecar["Name"]
    if sidecar.get("Driver") and sidecar["Driver"] != task.get("Driver"):
        task["Driver"] = sidecar["Driver"]
        task["Config"] = copy.deepcopy(sidecar.get("Config"))
    else:
        if sidecar.get("Config") and task.get("Config") is None:
            raise GoPanic("assignment to entry in nil map")  # a user task of this kind with no config block
        for key, value in (sidecar.get("Config") or {}).items():
            task["Config"][key] = copy.deepcopy(value)
    if sidecar.get("User"):
        task["User"] = sidecar["User"]
    for key in ("Env", "Meta"):
        if sidecar.get(key) is not None:
            task[key] = {**(task.get(key) or {}), **sidecar[key]} if task.get(key) is not None else dict(sidecar[key])
    if sidecar.get("Resources") is not None:
        for key in ("CPU", "Cores", "MemoryMB", "MemoryMaxMB", "DiskMB", "SecretsMB"):
            if sidecar["Resources"].get(key):
                task["Resources"][key] = sidecar["Resources"][key]
        for key in ("Networks", "Devices"):
            if sidecar["Resources"].get(key):
                task["Resources"][key] = copy.deepcopy(sidecar["Resources"][key])
    if sidecar.get("KillTimeout") is not None:
        task["KillTimeout"] = sidecar["KillTimeout"]
    logs = sidecar.get("LogConfig")
    if logs is not None:
        if task.get("LogConfig") is None:
            task["LogConfig"] = dict(logs)
        else:
            for key in ("MaxFiles", "MaxFileSizeMB"):
                if (logs.get(key) or 0) > 0:
                    task["LogConfig"][key] = logs[key]
    if sidecar.get("ShutdownDelay") is not None:
        task["ShutdownDelay"] = sidecar["ShutdownDelay"]
    if sidecar.get("KillSignal"):
        task["KillSignal"] = sidecar["KillSignal"]
    if sidecar.get("VolumeMounts") is not None:
        task["VolumeMounts"] = copy.deepcopy(sidecar["VolumeMounts"])


def inject_port(group: dict, label: str) -> None:
    """injectPort: a dynamic port mapped to the same number inside the namespace (To -1), once."""
    network = group["Networks"][0]
    if any(p.get("Label") == label for p in network.get("DynamicPorts") or []):
        return
    network["DynamicPorts"] = (network.get("DynamicPorts") or []) + [
        {"Label": label, "Value": 0, "To": -1, "HostNetwork": ""}]


def _native_task(group: dict, service_name: str, task_name: str) -> dict:
    tasks = group.get("Tasks") or []
    if not task_name:
        if len(tasks) == 1:
            return tasks[0]
        raise ConnectError(f"task for Consul Connect Native service {group['Name']}->{service_name} "
                           "is ambiguous and must be set")
    for task in tasks:
        if task.get("Name") == task_name:
            return task
    raise ConnectError(f"task {task_name} named by Consul Connect Native service "
                       f"{group['Name']}->{service_name} does not exist")


_ENV_VAR = re.compile(r"\$\{[a-zA-Z0-9_\-.]+\}")  # helper/args ReplaceEnv
# taskenv cleans the names of these variables (helper.CleanEnvVar), so "${NOMAD_META_a-b}" finds nothing.
_CLEANED_PREFIXES = ("NOMAD_ADDR_", "NOMAD_IP_", "NOMAD_PORT_", "NOMAD_HOST_PORT_", "NOMAD_META_")


def interpolate_submit_env(text: str, job: dict, group: dict) -> str:
    """What taskenv knows at submit time (an alloc with only a job and group): other ${...} stay as they are."""
    return replace_env(text, submit_env(job, group))


def replace_env(text: str, env: dict[str, str]) -> str:
    """hargs.ReplaceEnv: each ${name} found in env replaced by its value."""
    return _ENV_VAR.sub(lambda m: env.get(m.group(0)[2:-1], m.group(0)), text)


def submit_env(job: dict, group: dict) -> dict[str, str]:
    """taskenv.NewEmptyBuilder().UpdateTask(&Allocation{Job, TaskGroup}, nil).Build()'s variables."""
    values = {"NOMAD_GROUP_NAME": group.get("Name") or "", "NOMAD_ALLOC_INDEX": "0",
              "NOMAD_JOB_ID": job.get("ID") or "", "NOMAD_JOB_NAME": job.get("Name") or "",
              "NOMAD_JOB_PARENT_ID": job.get("ParentID") or ""}
    env = {key: value for key, value in values.items() if value}
    # taskenv looks the group up by name in the job: the first group of that name
    first = next((g for g in job.get("TaskGroups") or [] if g.get("Name") == group.get("Name")), None)
    for upstream in _group_upstreams(first or group):
        port = str(upstream.get("LocalBindPort") or 0)
        for name in (upstream.get("DestinationName") or "", clean_env_var(upstream.get("DestinationName") or "")):
            env[f"NOMAD_UPSTREAM_IP_{name}"] = "127.0.0.1"
            env[f"NOMAD_UPSTREAM_PORT_{name}"] = port
            env[f"NOMAD_UPSTREAM_ADDR_{name}"] = f"127.0.0.1:{port}"
    for key, value in _combined_meta(job, first).items():
        for name in (f"NOMAD_META_{go_upper(key)}", f"NOMAD_META_{key}"):
            env[replace_env(name, env)] = replace_env(value, env)
    return {(clean_env_var(key) if key.startswith(_CLEANED_PREFIXES) else key): value for key, value in env.items()}


def _group_upstreams(group: dict) -> list[dict]:
    """The upstreams of every sidecar service of the group."""
    upstreams = []
    for service in group.get("Services") or []:
        proxy = ((service.get("Connect") or {}).get("SidecarService") or {}).get("Proxy") or {}
        upstreams += proxy.get("Upstreams") or []
    return upstreams


def _combined_meta(job: dict, group: dict | None) -> dict[str, str]:
    """Job.CombinedTaskMeta(group, ""): a task named "" first, then the group's meta, then the job's."""
    if group is None:
        return dict(job.get("Meta") or {})
    task = next((t for t in group.get("Tasks") or [] if t.get("Name") == ""), None)
    meta = dict((task or {}).get("Meta") or {})
    for source in (group.get("Meta") or {}, job.get("Meta") or {}):
        for key, value in source.items():
            meta.setdefault(key, value)
    return meta


def clean_env_var(text: str) -> str:
    """helper.CleanEnvVar(s, '_'): bytes outside [A-Za-z0-9_.] (a digit first, too) become '_'."""
    out = bytearray(text.encode())
    for index, byte in enumerate(out):
        char = chr(byte)
        if not (char in "_." or "a" <= char <= "z" or "A" <= char <= "Z" or (index > 0 and "0" <= char <= "9")):
            out[index] = ord("_")
    return out.decode("ascii")  # every byte outside ASCII letters, digits, '_' and '.' was replaced


# -- validator -------------------------------------------------------------------------------
def validate(job: dict) -> tuple[list, str | None]:
    """jobConnectHook.Validate: the first problem of the first group that has one."""
    for group in job.get("TaskGroups") or []:
        error = _group_error(group)
        if error is not None:
            return [], error
    return [], None


def _group_error(group: dict) -> str | None:
    for service in group.get("Services") or []:
        if has_sidecar(service):
            error = _sidecar_error(group, service)
        elif is_native(service):
            try:
                _native_task(group, service["Name"], service.get("TaskName") or "")
                error = None
            except ConnectError as exc:
                error = str(exc)
        elif gateway_of(service) is not None:
            error = _gateway_error(group)
        else:
            error = None
        if error is not None:
            return error
    return _upstreams_error(group)


def _sidecar_error(group: dict, service: dict) -> str | None:
    networks = group.get("Networks") or []
    if len(networks) != 1:
        return f"Consul Connect sidecars require exactly 1 network, found {len(networks)} in group {quote(group['Name'])}"
    if networks[0].get("Mode") != "bridge":
        return (f"Consul Connect sidecar requires bridge network, found {quote(networks[0].get('Mode') or '')} "
                f"in group {quote(group['Name'])}")
    if service["Name"] != service["Name"].lower():
        return (f"Consul Connect service name {quote(service['Name'])} in group {quote(group['Name'])} "
                "must not contain uppercase characters")
    if group["Name"] != group["Name"].lower():
        return (f"Consul Connect group {quote(group['Name'])} with service {quote(service['Name'])} "
                "must not contain uppercase characters")
    return None


def _gateway_error(group: dict) -> str | None:
    networks = group.get("Networks") or []
    if len(networks) != 1:
        return f"Consul Connect gateways require exactly 1 network, found {len(networks)} in group {quote(group['Name'])}"
    if networks[0].get("Mode") not in ("bridge", "host"):
        return 'Consul Connect Gateway service requires Task Group with network mode of type "bridge" or "host"'
    return None


def _upstreams_error(group: dict) -> str | None:
    listeners: dict[str, str] = {}
    connect_blocks = 0
    has_tproxy = False
    for service in group.get("Services") or []:
        if service.get("Connect") is not None:
            connect_blocks += 1
        proxy = (service.get("Connect") or {}).get("SidecarService") or {}
        proxy = proxy.get("Proxy") if has_sidecar(service) else None
        if proxy is None:
            continue
        for upstream in proxy.get("Upstreams") or []:
            listener = upstream.get("LocalBindSocketPath") or _join_host_port(
                upstream.get("LocalBindAddress") or "", upstream.get("LocalBindPort") or 0)
            if listener in listeners:
                return (f"Consul Connect services {quote(service['Name'])} and {quote(listeners[listener])} in group "
                        f"{quote(group['Name'])} using same address for upstreams ({listener})")
            listeners[listener] = service["Name"]
        tproxy = proxy.get("TransparentProxy")
        if tproxy is not None:
            has_tproxy = True
            for network in group.get("Networks") or []:
                if _dns_set(network.get("DNS")) and not tproxy.get("NoDNS"):
                    return "Consul Connect transparent proxy cannot be used with network.dns unless no_dns=true"
            for label in tproxy.get("ExcludeInboundPorts") or []:
                if not _tproxy_port_ok(group, label):
                    return (f"Consul Connect transparent proxy port {quote(label)} "
                            "must be numeric or one of network.port labels")
    if has_tproxy and connect_blocks > 1:
        return "Consul Connect transparent proxy requires there is only one connect block"
    return None


def _join_host_port(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _dns_set(dns: dict | None) -> bool:
    return dns is not None and bool(dns.get("Servers") or dns.get("Searches") or dns.get("Options"))


def _tproxy_port_ok(group: dict, label: str) -> bool:
    if parse_uint(label, 16) is not None:
        return True
    return any(p.get("Label") == label for n in group.get("Networks") or [] for p in n.get("ReservedPorts") or [])
