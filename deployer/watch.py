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


def wait_for_deployment(clients, deployment: dict, on_progress, timeout: float = 600.0,
                        cancel: threading.Event | None = None) -> dict:
    """Follow the deployment until it succeeds or fails, reporting (healthy, desired) as it goes."""
    deadline = time.monotonic() + timeout
    index = 0
    dep_id = deployment["ID"]
    while True:
        on_progress(*deployment_counts(deployment))
        if deployment.get("Status") in DEPLOYMENT_DONE:
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
