"""The stages one job goes through after parse and validate (commands.py): plan -> register -> watch -> health."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from deployer.diagnostics import explain_failure
from deployer.errors import DeploymentFailed
from deployer.health import wait_until_healthy
from deployer.nomad_jobs import blocking_get, check_ownership, plan_job, read_job, register_job
from deployer.placement import placement_failures
from deployer.plan_summary import has_changes
from deployer.watch import (awaiting_manual_promotion, failure_message, find_deployment, wait_for_deployment,
                            wait_for_evaluation, wait_for_running)


@dataclass
class PlannedJob:
    """A parsed job, what Nomad holds now, and Nomad's plan for it."""

    job_id: str
    job: dict
    current: dict | None
    plan: dict

    @property
    def changed(self) -> bool:
        """Whether registering it would change anything."""
        return has_changes(self.plan)

    @property
    def modify_index(self) -> int:
        """The JobModifyIndex to enforce: the plan's, else the current job's, else 0 (new job)."""
        if self.plan.get("JobModifyIndex") is not None:
            return int(self.plan["JobModifyIndex"])
        return int((self.current or {}).get("JobModifyIndex", 0))


def plan_one(clients, job: dict, force: bool) -> PlannedJob:
    """Check ownership of a parsed job and plan it."""
    job_id = job["ID"]
    current = read_job(clients, job_id)
    check_ownership(job_id, current, force)
    return PlannedJob(job_id, job, current, plan_job(clients, job))


@dataclass
class DeployResult:
    """How a job's deployment ended."""

    job_id: str
    submitted: bool
    version: int | None
    healthy: int
    desired: int
    awaiting_promotion: bool = False

    def summary(self) -> str:
        """One line for the end of an apply."""
        if self.awaiting_promotion:
            return (f"{self.job_id}: version {self.version} canary healthy beside the old version; "
                    f"promote it with `deployer promote {self.job_id}`")
        if not self.submitted:
            return f"{self.job_id}: no changes (version {self.version}, healthy in Consul)"
        counts = f"{self.healthy}/{self.desired} healthy" if self.desired else "running"
        return f"{self.job_id}: deployed version {self.version} ({counts}, healthy in Consul)"


class JobDeployer:
    """Runs the register-and-watch stages for planned jobs, reporting to a progress view."""

    def __init__(self, clients, view, cancel: threading.Event, submitted: list[str],
                 health_timeout: float = 90.0):
        self.clients = clients
        self.view = view
        self.cancel = cancel
        self.submitted = submitted
        self.health_timeout = health_timeout
        self.awaiting_promotion: set[str] = set()  # jobs whose canaries wait for `deployer promote`

    def deploy(self, planned: PlannedJob) -> DeployResult:
        """Register (if changed), follow evaluation and deployment, then confirm Consul health."""
        job_id = planned.job_id
        if not planned.changed:
            self.view.update(job_id, stage="deployment", note="no changes")
            self._settle_unchanged(job_id)
            if job_id in self.awaiting_promotion:
                return DeployResult(job_id, False, (planned.current or {}).get("Version"), 0, 0, awaiting_promotion=True)
            self.view.update(job_id, stage="health")
            wait_until_healthy(self.clients, job_id, self.health_timeout, self.cancel)
            self.view.update(job_id, stage="unchanged")
            return DeployResult(job_id, False, (planned.current or {}).get("Version"), 0, 0)
        self.view.update(job_id, stage="register")
        response = register_job(self.clients, planned.job, planned.modify_index)
        self.submitted.append(job_id)
        self.view.update(job_id, stage="evaluation")
        evaluation = {}
        if response.get("EvalID"):  # Nomad creates none for periodic or parameterized jobs
            evaluation = wait_for_evaluation(self.clients, response["EvalID"], job_id, cancel=self.cancel)
        version = (read_job(self.clients, job_id) or {}).get("Version")
        healthy, desired = self._follow(job_id, version, evaluation.get("DeploymentID"))
        if job_id in self.awaiting_promotion:
            return DeployResult(job_id, True, version, healthy, desired, awaiting_promotion=True)
        self.view.update(job_id, stage="health")
        wait_until_healthy(self.clients, job_id, self.health_timeout, self.cancel)
        self.view.update(job_id, stage="done", note=f"version {version}")
        return DeployResult(job_id, True, version, healthy, desired)

    def _settle_unchanged(self, job_id: str) -> None:
        """An unchanged job may still be unplaceable or mid-deployment: say so, or wait for it."""
        evaluations = self.clients.nomad_call(f"list evaluations of {job_id}", self.clients.nomad.job.get_evaluations,
                                              job_id) or []
        if any(e.get("Status") == "blocked" for e in evaluations):
            failed = sorted((e for e in evaluations if e.get("FailedTGAllocs")), key=lambda e: e.get("CreateIndex", 0))
            sentences = placement_failures(failed[-1]) if failed else []
            sentences = sentences or [f"job {job_id} has allocations waiting to be placed"]
            self.view.update(job_id, stage="failed")
            raise DeploymentFailed(sentences[0], details=sentences[1:],
                                   hint="the job is registered but cannot be placed; fix the cause and apply again")
        deployment, _ = blocking_get(self.clients, f"/v1/job/{job_id}/deployment")
        if deployment:
            self._finish_deployment(job_id, deployment)

    def _follow(self, job_id: str, version, deployment_id) -> tuple[int, int]:
        """Watch the deployment (or, without one, the allocations) until it settles."""
        self.view.update(job_id, stage="deployment")
        deployment = find_deployment(self.clients, job_id, version, deployment_id, cancel=self.cancel)
        if deployment is None:
            counts = [0, 0]
            wait_for_running(self.clients, job_id, self._reporter(job_id, counts), cancel=self.cancel)
            return counts[0], counts[1]
        return self._finish_deployment(job_id, deployment)

    def _reporter(self, job_id: str, counts: list[int]):
        """A progress callback that records (healthy, desired) and shows it."""
        def progress(healthy: int, desired: int) -> None:
            counts[:] = [healthy, desired]
            self.view.update(job_id, healthy=healthy, desired=desired)
        return progress

    def _finish_deployment(self, job_id: str, deployment: dict) -> tuple[int, int]:
        """Wait for the deployment to end; a failed one raises with its explanation."""
        counts = [0, 0]
        deployment = wait_for_deployment(self.clients, deployment, self._reporter(job_id, counts), cancel=self.cancel,
                                         on_note=lambda note: self.view.update(
                                             job_id, stage="canary" if note else "deployment", note=note))
        if awaiting_manual_promotion(deployment):
            self.awaiting_promotion.add(job_id)
            self.view.update(job_id, stage="canary")
            return counts[0], counts[1]
        if deployment.get("Status") != "successful":
            self.view.update(job_id, stage="failed")
            raise DeploymentFailed(
                failure_message(job_id, deployment),
                hint="fix the job and run `deployer apply` again; `deployer status` shows the current state",
                details=explain_failure(self.clients, job_id, deployment))
        return counts[0], counts[1]
