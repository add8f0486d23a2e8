"""Follow an evaluation and a deployment with Nomad blocking queries."""

from __future__ import annotations

import threading
import time

from deployer.errors import DeployerError, DeploymentFailed
from deployer.interrupts import raise_if_cancelled
from deployer.nomad_jobs import blocking_get
from deployer.placement import placement_failures

EVAL_DONE = ("complete", "failed", "canceled", "cancelled")
DEPLOYMENT_DONE = ("successful", "failed", "cancelled")


def wait_for_evaluation(clients, eval_id: str, job_id: str, timeout: float = 120.0,
                        cancel: threading.Event | None = None) -> dict:
    """Block until the evaluation is done; placement failures raise DeploymentFailed (exit 2)."""
    deadline = time.monotonic() + timeout
    for evaluation in _watch(clients, f"/v1/evaluation/{eval_id}", cancel):
        if evaluation and evaluation.get("Status") in EVAL_DONE:
            break
        if time.monotonic() > deadline:
            raise DeployerError(f"evaluation {eval_id[:8]} of job {job_id} not done after {timeout:.0f}s")
    failures = placement_failures(evaluation)
    if failures:
        raise DeploymentFailed(failures[0], hint=f"see `deployer status`; Nomad evaluation {eval_id}",
                               details=failures[1:])
    if evaluation.get("Status") in ("canceled", "cancelled"):
        return evaluation  # Nomad's broker cancels a pending evaluation a newer one of the job supersedes
    if evaluation.get("Status") != "complete":
        raise DeploymentFailed(f"evaluation of job {job_id} {evaluation.get('Status')}: "
                               f"{evaluation.get('StatusDescription') or 'no reason given'}")
    return evaluation


def _watch(clients, path: str, cancel: threading.Event | None, wait: str = "2s"):
    """Yield the path's data after each blocking query (None on 404), checking for cancel before each."""
    index = 0
    while True:
        raise_if_cancelled(cancel)
        data, index = blocking_get(clients, path, index, wait=wait)
        yield data


def find_deployment(clients, job_id: str, version: int, eval_deployment_id: str | None,
                    wait: float = 5.0, cancel: threading.Event | None = None) -> dict | None:
    """The deployment of this job version, or None if Nomad creates none (no update block)."""
    if eval_deployment_id:
        deployment, _ = blocking_get(clients, f"/v1/deployment/{eval_deployment_id}")
        if deployment:
            return deployment
    deadline = time.monotonic() + wait
    index = 0
    while time.monotonic() < deadline:
        raise_if_cancelled(cancel)
        deployment, index = blocking_get(clients, f"/v1/job/{job_id}/deployment", index, wait="1s")
        if deployment and deployment.get("JobVersion") == version:
            return deployment
    return None


def deployment_counts(deployment: dict) -> tuple[int, int]:
    """(healthy, desired) summed over the deployment's task groups."""
    groups = (deployment.get("TaskGroups") or {}).values()
    return sum(g.get("HealthyAllocs", 0) for g in groups), sum(g.get("DesiredTotal", 0) for g in groups)


def requires_promotion(deployment: dict) -> bool:
    """A running deployment with a group whose canaries are not promoted yet (Nomad's RequiresPromotion)."""
    return deployment.get("Status") == "running" and any(
        (g.get("DesiredCanaries") or 0) > 0 and not g.get("Promoted") for g in (deployment.get("TaskGroups") or {}).values())


def auto_promotes(deployment: dict) -> bool:
    """Every group with canaries promotes itself once they are healthy (auto_promote)."""
    return all(g.get("AutoPromote") for g in (deployment.get("TaskGroups") or {}).values()
               if (g.get("DesiredCanaries") or 0) > 0)


def canary_counts(deployment: dict) -> tuple[int, int]:
    """(placed, desired) canaries summed over the deployment's groups."""
    groups = (deployment.get("TaskGroups") or {}).values()
    return (sum(len(g.get("PlacedCanaries") or []) for g in groups),
            sum(g.get("DesiredCanaries") or 0 for g in groups))


def awaiting_manual_promotion(deployment: dict) -> bool:
    """Canaries placed and healthy, and only a person can promote them now."""
    placed, desired = canary_counts(deployment)
    healthy, _ = deployment_counts(deployment)
    return requires_promotion(deployment) and not auto_promotes(deployment) and placed >= desired and healthy >= desired


def canary_note(job_id: str, deployment: dict) -> str:
    """What the canaries of a deployment are doing, for the progress view ('' without canaries)."""
    placed, desired = canary_counts(deployment)
    if not desired:
        return ""
    if not requires_promotion(deployment):
        promoted = all(g.get("Promoted") for g in deployment["TaskGroups"].values() if g.get("DesiredCanaries"))
        return "canary promoted, replacing the old version" if promoted and deployment.get("Status") == "running" else ""
    healthy, _ = deployment_counts(deployment)
    if awaiting_manual_promotion(deployment):
        return f"canary healthy, old version serving; promote with `deployer promote {job_id}`"
    if placed >= desired and healthy >= desired:
        return "canary healthy, promoting"
    return f"canary {min(healthy, desired)}/{desired} healthy beside the old version"


def failure_message(job_id: str, deployment: dict) -> str:
    """The one-line reason of a failed deployment; a canary failure says the old version kept serving."""
    reason = deployment.get("StatusDescription") or "no reason given"
    _, desired = canary_counts(deployment)
    promoted = any(g.get("Promoted") for g in (deployment.get("TaskGroups") or {}).values())
    if desired and not promoted:
        return f"canary of job {job_id} failed, the old version kept serving: {reason}"
    return f"deployment of job {job_id} {deployment.get('Status')}: {reason}"


def wait_for_deployment(clients, deployment: dict, on_progress, timeout: float = 600.0,
                        cancel: threading.Event | None = None, on_note=None) -> dict:
    """Follow the deployment until it succeeds, fails or waits for a manual promotion.

    on_progress gets (healthy, desired) as it goes; on_note (if given) the canary state.
    """
    deadline = time.monotonic() + timeout
    index = 0
    dep_id = deployment["ID"]
    while True:
        on_progress(*deployment_counts(deployment))
        if on_note is not None:
            on_note(canary_note(deployment.get("JobID", ""), deployment))
        if deployment.get("Status") in DEPLOYMENT_DONE or awaiting_manual_promotion(deployment):
            return deployment
        raise_if_cancelled(cancel)
        if time.monotonic() > deadline:
            raise DeployerError(f"deployment {dep_id[:8]} still {deployment.get('Status')} after {timeout:.0f}s")
        latest, index = blocking_get(clients, f"/v1/deployment/{dep_id}", index, wait="2s")
        deployment = latest or deployment


def wait_for_running(clients, job_id: str, on_progress, timeout: float = 120.0,
                     cancel: threading.Event | None = None) -> None:
    """Without a deployment: wait until the job's allocations of its latest version run."""
    deadline = time.monotonic() + timeout
    for allocs in _watch(clients, f"/v1/job/{job_id}/allocations", cancel):
        live = [a for a in allocs or [] if a.get("DesiredStatus") == "run"]
        running = [a for a in live if a.get("ClientStatus") == "running"]
        on_progress(len(running), len(live))
        failed = [a for a in live if a.get("ClientStatus") == "failed"]
        if failed:
            raise DeploymentFailed(f"allocation {failed[0]['ID'][:8]} of job {job_id} failed")
        if live and len(running) == len(live):
            return
        if time.monotonic() > deadline:
            raise DeployerError(f"job {job_id}: {len(running)}/{len(live)} allocations running after {timeout:.0f}s")
