"""Explain a failed deployment: the failing allocation's events, its stderr, the rollback."""

from __future__ import annotations

from deployer.nomad_jobs import blocking_get

EVENTS_SHOWN = 8
STDERR_LINES = 10


def rollback_note(deployment: dict) -> str:
    """Whether Nomad's auto-revert rolled the job back, from the deployment's description."""
    description = deployment.get("StatusDescription") or ""
    if "rolling back to job version" in description:
        version = description.rsplit("rolling back to job version", 1)[1].strip()
        return f"auto-revert: rolled back to job version {version}"
    if "no stable job version" in description:
        return "auto-revert: no stable job version to roll back to"
    auto = any(g.get("AutoRevert") for g in (deployment.get("TaskGroups") or {}).values())
    return "auto-revert: enabled but did not roll back" if auto else "auto-revert: off"


def failing_allocation(clients, job_id: str, deployment: dict | None) -> dict | None:
    """The first allocation of the deployment's job version that failed or was found unhealthy."""
    stubs, _ = blocking_get(clients, f"/v1/job/{job_id}/allocations")
    version = (deployment or {}).get("JobVersion")
    for stub in stubs or []:
        if version is not None and stub.get("JobVersion") != version:
            continue  # list stubs carry JobVersion but no DeploymentID
        health = (stub.get("DeploymentStatus") or {}).get("Healthy")
        if stub.get("ClientStatus") == "failed" or health is False:
            alloc, _ = blocking_get(clients, f"/v1/allocation/{stub['ID']}")
            return alloc or stub
    return None


def task_event_lines(alloc: dict) -> list[str]:
    """The last task events of each task, one line each."""
    lines = []
    for task, state in sorted((alloc.get("TaskStates") or {}).items()):
        for event in (state.get("Events") or [])[-EVENTS_SHOWN:]:
            text = event.get("DisplayMessage") or event.get("Message") or ""
            lines.append(f"{task}: {event.get('Type')}{': ' + text if text else ''}")
    return lines


def stderr_tail(clients, alloc_id: str, task: str) -> list[str]:
    """The last lines of a task's stderr, from the client's log endpoint."""
    params = {"task": task, "type": "stderr", "origin": "end", "offset": 2000, "plain": "true"}
    response = clients.nomad_get(f"/v1/client/fs/logs/{alloc_id}", params=params)
    if not response.ok:
        return [f"(stderr not available: HTTP {response.status_code})"]
    return response.text.splitlines()[-STDERR_LINES:]


def explain_failure(clients, job_id: str, deployment: dict | None) -> list[str]:
    """Everything worth showing about a failed deployment, as lines."""
    lines = []
    alloc = failing_allocation(clients, job_id, deployment)
    if alloc:
        lines.append(f"allocation {alloc['ID'][:8]} ({alloc.get('ClientStatus')}) task events:")
        lines += [f"  {line}" for line in task_event_lines(alloc)]
        for task in sorted(alloc.get("TaskStates") or {}):
            tail = stderr_tail(clients, alloc["ID"], task)
            if tail:
                lines.append(f"stderr of {task} (last lines):")
                lines += [f"  {line}" for line in tail]
    if deployment:
        lines.append(rollback_note(deployment))
    return lines
