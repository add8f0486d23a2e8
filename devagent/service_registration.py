"""Consul registration payloads for an allocation's services, as Nomad builds them."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from devagent.durations import SECOND, consul_interval
from devagent.jobmodel import sidecar_service
from devagent.taskenv import NodeInfo, PortMapping, interpolate, interpolate_value
from devagent.gostrconv import atoi

NODE_MARKER = "devagent-node-id"  # Meta key: which devagent node registered the service
SIDECAR_CHECK_INTERVAL = "1s"  # Consul starts checks critical; a short interval passes fast


@dataclass
class RegistrationContext:
    """What a service registration needs to know about its allocation."""

    alloc_id: str
    job_id: str
    group: str
    namespace: str
    node_id: str
    node: NodeInfo
    ports: dict[str, PortMapping]
    env: dict[str, str]
    expose_listener: bool  # the sidecar kind serves expose paths itself
    namespaced: bool = False  # the group runs in its own network namespace (bridge mode)
    sidecar_address: str = ""  # register sidecars here instead of the host IP (a kind that binds what it registers)
    owner: str = ""  # "group-<group>" or the task name
    warnings: list[str] = field(default_factory=list)


def service_id(alloc_id: str, owner: str, service_name: str, port_label: str) -> str:
    """Nomad's service ID: _nomad-task-<alloc>-<owner>-<service>-<port label>."""
    return f"_nomad-task-{alloc_id}-{owner}-{service_name}-{port_label}"


def check_id(service_id_: str, check: dict) -> str:
    """A stable check ID derived from the check and its service."""
    digest = hashlib.sha256(json.dumps([service_id_, check], sort_keys=True, default=str).encode()).hexdigest()
    return f"_nomad-check-{digest}"


def resolve_port(label: str, ctx: RegistrationContext) -> tuple[str, int]:
    """(address, port) of a port label; a label no port has is read as a number (Go's Atoi), used with no address."""
    if not label:
        return "", 0
    if label in ctx.ports:
        mapping = ctx.ports[label]
        return mapping.host_ip, mapping.value
    port, ok = atoi(label)
    if not ok or port <= 0:
        raise KeyError(f"port label {label!r} not found in the group's network")
    return "", port


def local_service_port(label: str, ctx: RegistrationContext) -> int:
    """Where the sidecar sends to when the proxy sets no local_service_port: the service's registered port.

    Nomad leaves this to Consul, whose default is the parent's registered port: for a named
    label in bridge mode, the host port, not `to` (nomad#9824). devagent does the same, so a
    job that needs `to` must say `local_service_port` (or use a numeric service port) here
    as on Nomad.
    """
    return resolve_port(label, ctx)[1]


def build_service(service: dict, ctx: RegistrationContext) -> dict:
    """The PUT /v1/agent/service/register body for one job service."""
    sub = lambda value: interpolate_value(value, ctx.env, ctx.node)  # noqa: E731
    name = interpolate(service["Name"], ctx.env, ctx.node)
    label = service.get("PortLabel") or ""
    address, port = resolve_port(label, ctx)
    sid = service_id(ctx.alloc_id, ctx.owner, name, label)
    payload = {
        "ID": sid, "Name": name, "Tags": sub(service.get("Tags") or []),
        "Address": address if not service.get("Address") else sub(service["Address"]), "Port": port,
        "Meta": {**sub(service.get("Meta") or {}), "external-source": "nomad", NODE_MARKER: ctx.node_id},
        "Checks": [c for c in (build_check(chk, service, sid, address, port, ctx) for chk in service.get("Checks") or []) if c],
    }
    sidecar = sidecar_service(service)
    if sidecar is not None:
        app_port = local_service_port(label, ctx)
        payload["Connect"] = {"SidecarService": build_sidecar(service, sidecar, sid, app_port, ctx)}
    elif (service.get("Connect") or {}).get("Native"):
        payload["Connect"] = {"Native": True}
    return payload


def has_sidecar(payload: dict) -> bool:
    """Whether a registration payload carries a Connect sidecar."""
    return "SidecarService" in (payload.get("Connect") or {})


def build_check(check: dict, service: dict, sid: str, address: str, port: int, ctx: RegistrationContext) -> dict | None:
    """One Consul check definition; None (with a warning) for kinds devagent cannot run."""
    kind = (check.get("Type") or "").lower()
    sub = lambda value: interpolate_value(value, ctx.env, ctx.node)  # noqa: E731
    host = address or "127.0.0.1"
    exposed = bool(check.get("Expose"))  # admission set PortLabel to the expose listener's port
    label = check.get("PortLabel") or ""
    # In a namespace the expose port is always mapped (devagent forwards it to the app where the
    # sidecar kind has no expose listener); on the host without one the check goes to the app.
    if label and (not exposed or ctx.expose_listener or ctx.namespaced):
        host, port = resolve_port(label, ctx)
        host = host or "127.0.0.1"
    definition = {
        "CheckID": check_id(sid, check), "Name": sub(check.get("Name") or f'service: "{service["Name"]}" check'),
        "Interval": consul_interval(check.get("Interval") or 10 * SECOND),
        "Timeout": consul_interval(check.get("Timeout") or 2 * SECOND),
    }
    if check.get("InitialStatus"):
        definition["Status"] = check["InitialStatus"]
    if check.get("SuccessBeforePassing"):
        definition["SuccessBeforePassing"] = check["SuccessBeforePassing"]
    if check.get("FailuresBeforeCritical"):
        definition["FailuresBeforeCritical"] = check["FailuresBeforeCritical"]
    if kind == "http":
        scheme = check.get("Protocol") or "http"
        definition["HTTP"] = f"{scheme}://{host}:{port}{sub(check.get('Path') or '/')}"
        definition["Method"] = check.get("Method") or "GET"
        if check.get("Header"):
            definition["Header"] = sub(check["Header"])
        definition["TLSSkipVerify"] = bool(check.get("TLSSkipVerify"))
    elif kind == "tcp":
        definition["TCP"] = f"{host}:{port}"
    elif kind == "grpc":
        definition["GRPC"] = f"{host}:{port}" + (f"/{check['GRPCService']}" if check.get("GRPCService") else "")
        definition["GRPCUseTLS"] = bool(check.get("GRPCUseTLS"))
    else:
        ctx.warnings.append(f"check {definition['Name']!r}: type {kind!r} is not supported by devagent, not registered")
        return None
    return definition


def build_sidecar(service: dict, sidecar: dict, parent_id: str, app_port: int, ctx: RegistrationContext) -> dict:
    """Connect.SidecarService: public port, proxy config, upstreams, expose paths and fast checks."""
    public_mapping = ctx.ports[f"connect-proxy-{service['Name']}"]
    public, public_ip = public_mapping.value, ctx.sidecar_address or public_mapping.host_ip
    proxy = sidecar.get("Proxy") or {}
    stats_tags = [f"nomad.alloc_id={ctx.alloc_id}", f"nomad.group={ctx.group}",
                  f"nomad.job={ctx.job_id}", f"nomad.namespace={ctx.namespace}"]
    # Nomad binds 0.0.0.0 in the namespace; on the host (no namespace) devagent keeps to loopback.
    config = {"bind_address": "0.0.0.0" if ctx.namespaced else "127.0.0.1", "bind_port": public,
              "envoy_stats_tags": stats_tags,
              **interpolate_value(proxy.get("Config") or {}, ctx.env, ctx.node)}
    body = {
        "Port": public, "Address": public_ip,
        "Tags": sidecar.get("Tags") or [],
        "Meta": {"external-source": "nomad", NODE_MARKER: ctx.node_id},
        "Proxy": {
            "LocalServiceAddress": proxy.get("LocalServiceAddress") or "127.0.0.1",
            "LocalServicePort": proxy.get("LocalServicePort") or app_port,
            "Config": config,
            "Upstreams": [upstream_payload(u) for u in proxy.get("Upstreams") or []],
        },
        "Checks": [{"Name": f"Connect Sidecar Aliasing {parent_id}", "AliasService": parent_id}],
    }
    if not sidecar.get("DisableDefaultTCPCheck"):
        body["Checks"].append({"Name": "Connect Sidecar Listening", "TCP": f"{public_ip}:{public}",
                               "Interval": SIDECAR_CHECK_INTERVAL})
    paths = expose_paths(proxy, ctx, app_port)
    if paths:
        body["Proxy"]["Expose"] = {"Paths": paths}
    return body


def upstream_payload(upstream: dict) -> dict:
    """One Consul upstream from a job upstream block."""
    return {
        "DestinationType": "service", "DestinationName": upstream["DestinationName"],
        "LocalBindPort": upstream.get("LocalBindPort") or 0,
        "LocalBindAddress": upstream.get("LocalBindAddress") or "127.0.0.1",
        "Datacenter": upstream.get("Datacenter") or "",
        "MeshGateway": upstream.get("MeshGateway") or {},
        "Config": upstream.get("Config") or {},
    }


def expose_paths(proxy: dict, ctx: RegistrationContext, app_port: int) -> list[dict]:
    """Expose paths with their listener labels resolved to host ports."""
    out = []
    for path in (proxy.get("Expose") or {}).get("Paths") or []:
        listener = path.get("ListenerPort") or ""
        port = ctx.ports[listener].value if listener in ctx.ports else int(listener or 0)
        out.append({"ListenerPort": port, "Path": path.get("Path"),
                    "LocalPathPort": path.get("LocalPathPort") or app_port, "Protocol": path.get("Protocol") or "http"})
    return out
