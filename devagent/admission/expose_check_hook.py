"""Nomad's `expose-check` admission hook: expose paths for `expose = true` checks (mutator) and its checks (validator)."""

from __future__ import annotations

import hashlib

from devagent.admission.connect_hook import has_sidecar
from devagent.admission.go_text import duration, quote
from devagent.gostrconv import atoi

NAME = "expose-check"


class ExposeCheckError(ValueError):
    """An exposed check the hook cannot work with (Nomad's message)."""


def mutate(job: dict) -> tuple[dict, list]:
    """jobExposeCheckHook.Mutate: add an expose path (and a dynamic listener port) per exposable check."""
    for group in job.get("TaskGroups") or []:
        for service in group.get("Services") or []:
            for index, check in enumerate(service.get("Checks") or []):
                if not check.get("Expose") or not has_sidecar(service):
                    continue
                path = _expose_path(group, service, check, index)
                if path is None:
                    continue
                expose = _service_expose_config(service)
                if path not in (expose.get("Paths") or []):
                    expose["Paths"] = (expose.get("Paths") or []) + [path]
    return job, []


def validate(job: dict) -> tuple[list, str | None]:
    """jobExposeCheckHook.Validate: bridge mode for exposed checks, only group services with a sidecar."""
    for group in job.get("TaskGroups") or []:
        error = _bridge_mode_error(group) or _expose_use_error(group)
        if error:
            return [], error
    return [], None


def _service_expose_config(service: dict) -> dict:
    sidecar = service["Connect"]["SidecarService"]
    if sidecar.get("Proxy") is None:
        from devagent.admission.structs_shape import zero
        sidecar["Proxy"] = zero("ConsulProxy")
    if sidecar["Proxy"].get("Expose") is None:
        sidecar["Proxy"]["Expose"] = {"Paths": None}
    return sidecar["Proxy"]["Expose"]


def _uses_expose_check(group: dict) -> bool:
    return any(check.get("Expose") for s in group.get("Services") or [] for check in s.get("Checks") or [])


def _bridge_mode_error(group: dict) -> str | None:
    if not _uses_expose_check(group):
        return None
    networks = group.get("Networks") or []
    if len(networks) != 1:
        return f"group {quote(group['Name'])} must specify one bridge network for exposing service check(s)"
    if networks[0].get("Mode") != "bridge":
        return f"group {quote(group['Name'])} must use bridge network for exposing service check(s)"
    return None


def _expose_use_error(group: dict) -> str | None:
    for service in group.get("Services") or []:
        for check in service.get("Checks") or []:
            if check.get("Expose") and not has_sidecar(service):
                return (f"exposed service check {group['Name']}->{service['Name']}->{check.get('Name')} "
                        "requires use of sidecar_proxy")
    for task in group.get("Tasks") or []:
        for service in task.get("Services") or []:
            for check in service.get("Checks") or []:
                if check.get("Expose"):
                    return (f"exposed service check {group['Name']}[{task['Name']}]->{service['Name']}->"
                            f"{check.get('Name')} is not a task-group service")
    return None


def _exposable(check: dict) -> bool:
    return (check.get("Type") or "").lower() in ("grpc", "http") and (check.get("Path") or "").startswith("/")


def _expose_path(group: dict, service: dict, check: dict, index: int) -> dict | None:
    if not _exposable(check):
        return None
    error = _bridge_mode_error(group)
    if error:
        raise ExposeCheckError(error)
    if not check.get("PortLabel"):
        suffix = check_hash(check, f"{service['Name']}_{index}")[:6]
        label = f"svc_{service['Name']}_ck_{suffix}"
        network = group["Networks"][0]
        network["DynamicPorts"] = (network.get("DynamicPorts") or []) + [
            {"Label": label, "Value": 0, "To": -1, "HostNetwork": "default"}]
        check["PortLabel"] = label
    port = _port_value(group, service.get("PortLabel") or "")
    if port <= 0:
        port, _ = atoi(service.get("PortLabel") or "")  # Nomad ignores the error: out of range is the int64 bound
        if port <= 0:
            raise ExposeCheckError(f"unable to determine local service port for service check "
                                   f"{group['Name']}->{service['Name']}->{check.get('Name')}")
    return {"Path": check.get("Path") or "", "Protocol": check.get("Protocol") or "",
            "LocalPathPort": port, "ListenerPort": check["PortLabel"]}


def _port_value(group: dict, label: str) -> int:
    """Networks.Port(label).Value: a reserved port's static value, a dynamic port's (unassigned) value."""
    for network in group.get("Networks") or []:
        for port in (network.get("ReservedPorts") or []) + (network.get("DynamicPorts") or []):
            if port.get("Label") == label:
                return port.get("Value") or 0
    return 0


def check_hash(check: dict, service_id: str) -> str:
    """structs.ServiceCheck.Hash(serviceID): the hex sha1 Nomad derives check IDs and expose port labels from."""
    h = hashlib.sha1()

    def put(text: str) -> None:
        h.update(text.encode())

    for text in (service_id, check.get("Name") or "", check.get("Type") or "", check.get("Command") or "",
                 "".join(check.get("Args") or []), check.get("Path") or "", check.get("Protocol") or "",
                 check.get("PortLabel") or "", duration(check.get("Interval") or 0), duration(check.get("Timeout") or 0),
                 check.get("Method") or "", check.get("Body") or "", check.get("OnUpdate") or "", check.get("Notes") or ""):
        put(text)
    if check.get("TLSSkipVerify"):
        put("true")
    if check.get("TLSServerName"):
        put(check["TLSServerName"])
    headers = check.get("Header") or {}
    if headers:
        put("".join(sorted(key + "".join(values or []) for key, values in headers.items())))
    if check.get("AddressMode"):
        put(check["AddressMode"])
    if check.get("GRPCService"):
        put(check["GRPCService"])
    if check.get("GRPCUseTLS"):
        put("true")
    for name, key in (("success", "SuccessBeforePassing"), ("failures", "FailuresBeforeCritical"),
                      ("failures-before-warning", "FailuresBeforeWarning")):
        if check.get(key):
            put(f"{name}:{check[key]}")
    return h.hexdigest()
