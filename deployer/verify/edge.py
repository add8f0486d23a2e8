"""The edge check: call an edge service through the port Nomad published for it."""

from __future__ import annotations

import requests


def published_address(clients, job_id: str, label: str = "http") -> tuple[str, int] | None:
    """(host, port) Nomad allocated for a running allocation of the job; None if none runs."""
    allocs = clients.nomad_call(f"list allocations of {job_id}", clients.nomad.job.get_allocations, job_id) or []
    for stub in allocs:
        if stub.get("ClientStatus") != "running":
            continue
        alloc = clients.nomad_call("read allocation", clients.nomad.allocation.get_allocation, stub["ID"]) or {}
        found = port_from_allocation(alloc, label)
        if found:
            return found
    return None


def port_from_allocation(alloc: dict, label: str) -> tuple[str, int] | None:
    """(host, port) of the labelled port: AllocatedResources.Shared.Ports, else the older Networks."""
    shared = (alloc.get("AllocatedResources") or {}).get("Shared") or {}
    ports = shared.get("Ports") or []
    if not ports:
        for network in shared.get("Networks") or []:
            ports += [{**p, "HostIP": network.get("IP")} for p in
                      (network.get("ReservedPorts") or []) + (network.get("DynamicPorts") or [])]
    chosen = next((p for p in ports if p.get("Label") == label), None)
    if not chosen:
        return None
    host = chosen.get("HostIP") or "127.0.0.1"
    return ("127.0.0.1" if host == "0.0.0.0" else host, int(chosen["Value"]))


def check_edge(clients, job_id: str, check, timeout: float = 10.0) -> tuple[bool, str]:
    """GET the declared path on the edge service: the status and JSON fields the values declare."""
    address = published_address(clients, job_id)
    if address is None:
        return False, f"no running allocation of {job_id} publishes an http port"
    url = f"http://{address[0]}:{address[1]}{check.path}"
    try:
        response = requests.get(url, timeout=timeout)
    except requests.RequestException as exc:
        return False, f"{url}: {type(exc).__name__}"
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.status_code != check.status:
        hop = body.get("failed_hop") if isinstance(body, dict) else None
        return False, f"{url}: HTTP {response.status_code}, expected {check.status}" + (
            f", failed hop {hop}" if hop else "")
    mismatches = [_mismatch(body, path, wanted) for path, wanted in check.json.items()]
    mismatches = [m for m in mismatches if m]
    if mismatches:
        return False, f"{url}: " + "; ".join(mismatches)
    shown = ", ".join(f"{path}={_lookup(body, path)[1]!r}" for path in check.json) or "no fields declared"
    return True, f"{url}: HTTP {response.status_code} ({shown})"


_MISSING = object()


def _lookup(body, path: str) -> tuple[bool, object]:
    """(found, value) at a dotted path of a decoded JSON answer."""
    value = body
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return False, _MISSING
        value = value[part]
    return True, value


def _mismatch(body, path: str, wanted) -> str | None:
    """Why the answer does not have `wanted` at `path` (None: it does; wanted None: any value)."""
    found, value = _lookup(body, path)
    if not found:
        return f"no {path} in the answer"
    if wanted is not None and value != wanted:
        return f"{path} is {value!r}, expected {wanted!r}"
    return None
