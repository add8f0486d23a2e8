"""Drive running deployments: count health, promote canaries, roll the next batch, succeed, fail, auto-revert."""

from __future__ import annotations

from devagent.admission.multierror import MultiError
from devagent.alloc_health import mark_unhealthy
from devagent.jobmodel import same_spec
from devagent.reconcile import ALLOC_TERMINAL
from devagent.scheduler import Scheduler, SchedulerError, has_auto_promote, requires_promotion
from devagent.state import now_ns, now_rfc3339, rfc3339
from devagent.store_watcher import StoreWatcher

UNHEALTHY = "Failed due to unhealthy allocations"
PROGRESS_DEADLINE = "Failed due to progress deadline"
FAILED_BY_USER = "Deployment marked as failed"
SUCCESS = "Deployment completed successfully"
RUNNING = "Deployment is running"
PAUSED = "Deployment is paused"
ACTIVE = ("running", "paused", "blocked", "unblocking", "initializing", "pending")


class DeploymentRefused(Exception):
    """A deployment request Nomad refuses (HTTP 500 with this text)."""


def is_active(deployment: dict) -> bool:
    """Deployment.Active: not terminal."""
    return deployment["Status"] in ACTIVE


class DeploymentWatcher(StoreWatcher):
    """A background thread that watches every running deployment."""

    name = "deployment-watcher"

    def __init__(self, scheduler: Scheduler):
        super().__init__(scheduler)
        self._rolled_at: dict[str, int] = {}  # deployment ID -> healthy count when the last batch was rolled

    def tick(self) -> None:
        """Advance every running deployment."""
        for deployment in list(self.store.deployments.values()):
            if deployment["Status"] == "running":
                self._watch(deployment)

    # -- the operator's requests (deployment endpoints) ------------------------------------
    def fail(self, deployment: dict, reason: str = FAILED_BY_USER) -> int | None:
        """Fail a deployment; with auto_revert register the last stable version again. Returns the reverted version."""
        with self.store.lock:
            if not is_active(deployment):
                return None
            revert = any(g["AutoRevert"] for g in deployment["TaskGroups"].values())
            description = reason
            rollback = self._stable_version(deployment) if revert else None
            current = self.store.jobs.get(deployment["JobID"])
            if revert and rollback is None:
                description = f"{reason} - no stable job version to auto revert to"
            elif rollback is not None and current is not None and same_spec(rollback, current):
                description = (f"{reason} - not rolling back to stable job version {rollback['Version']} "
                               "as current job has same specification")
                rollback = None
            elif rollback is not None:
                description = f"{reason} - rolling back to job version {rollback['Version']}"
            deployment.update(Status="failed", StatusDescription=description)
            self.store.touch(deployment)
            if rollback is not None:
                try:
                    self.scheduler.register(rollback, triggered_by="deployment-watcher")
                    return self.store.jobs[deployment["JobID"]]["Version"]
                except SchedulerError as exc:
                    self.scheduler.ctx.log(f"auto revert of {deployment['JobID']} failed: {exc}")
            # Without a rollback an evaluation still stops the failed deployment's canaries.
            self._evaluate(deployment)
            return None

    def promote(self, deployment: dict, groups: list[str] | None = None) -> None:
        """Promote the canaries of the given groups (None: all); Nomad's checks and texts."""
        with self.store.lock:
            if not is_active(deployment):
                raise DeploymentRefused("can't promote terminal deployment")
            chosen = set(deployment["TaskGroups"]) if groups is None else set(groups)
            healthy: dict[str, list[dict]] = {}
            for group, state in deployment["TaskGroups"].items():
                for alloc_id in state.get("PlacedCanaries") or []:
                    alloc = self.store.allocs.get(alloc_id)
                    if (alloc is not None and group in chosen and alloc["ClientStatus"] not in ALLOC_TERMINAL
                            and alloc["DesiredStatus"] == "run"
                            and (alloc.get("DeploymentStatus") or {}).get("Healthy") is True):
                        healthy.setdefault(group, []).append(alloc)
            errors = MultiError()
            for group, state in deployment["TaskGroups"].items():
                need = state.get("DesiredCanaries") or 0
                have = len(healthy.get(group, []))
                if group in chosen and need and have < need:
                    errors.append(f"Task group {group!r}".replace("'", '"') + f" has {have}/{need} healthy allocations")
            if errors.error_or_none():
                raise DeploymentRefused(str(errors))
            for group, state in deployment["TaskGroups"].items():
                if group not in chosen:
                    continue
                if state["ProgressDeadline"] and state.get("RequireProgressBy"):
                    state["RequireProgressBy"] = rfc3339(now_ns() + state["ProgressDeadline"])
                state["Promoted"] = True
            if not requires_promotion(deployment) and deployment["Status"] == "running":
                deployment["StatusDescription"] = RUNNING
            self.store.touch(deployment)
            for alloc in (a for allocs in healthy.values() for a in allocs):
                alloc["DeploymentStatus"] = {**alloc["DeploymentStatus"], "Canary": False,
                                             "ModifyIndex": self.store.index + 1}
                self.store.touch(alloc)
            self._evaluate(deployment)

    def pause(self, deployment: dict, pause: bool) -> None:
        """Pause or resume a deployment (a resume evaluates the job again)."""
        with self.store.lock:
            if not is_active(deployment):
                raise DeploymentRefused("can't pause terminal deployment" if pause else "can't resume terminal deployment")
            if pause:
                deployment.update(Status="paused", StatusDescription=PAUSED)
            else:
                description = RUNNING
                deployment["Status"] = "running"
                if requires_promotion(deployment):
                    description = ("Deployment is running pending automatic promotion" if has_auto_promote(deployment)
                                   else "Deployment is running but requires manual promotion")
                deployment["StatusDescription"] = description
            self.store.touch(deployment)
            if not pause:
                self._evaluate(deployment)

    def set_alloc_health(self, deployment: dict, healthy: list[str], unhealthy: list[str]) -> int | None:
        """Mark allocations healthy or unhealthy by hand; an unhealthy one fails the deployment (Nomad's texts)."""
        with self.store.lock:
            if not is_active(deployment):
                raise DeploymentRefused(f"Deployment {deployment['ID']!r} has terminal status {deployment['Status']!r}:"
                                        .replace("'", '"'))
            for alloc_id, value in [(i, True) for i in healthy] + [(i, False) for i in unhealthy]:
                alloc = self.store.allocs.get(alloc_id)
                if alloc is None:
                    raise DeploymentRefused(f'unknown alloc "{alloc_id}"')
                if alloc.get("DeploymentID") != deployment["ID"]:
                    raise DeploymentRefused(f'alloc "{alloc_id}" is not part of deployment "{deployment["ID"]}"')
            for alloc_id, value in [(i, True) for i in healthy] + [(i, False) for i in unhealthy]:
                alloc = self.store.allocs[alloc_id]
                alloc["DeploymentStatus"] = {**(alloc.get("DeploymentStatus") or {"Canary": False}), "Healthy": value,
                                             "Timestamp": now_rfc3339(), "ModifyIndex": self.store.index + 1}
                self.store.touch(alloc)
            self._count(deployment)
            if unhealthy:
                return self.fail(deployment, UNHEALTHY)
            self._evaluate(deployment)
            return None

    # -- the watch loop -----------------------------------------------------------------------
    def _evaluate(self, deployment: dict) -> None:
        if deployment["JobID"] in self.store.jobs:
            self.scheduler.evaluate(deployment["JobID"], triggered_by="deployment-watcher")

    def _stable_version(self, deployment: dict) -> dict | None:
        versions = self.store.job_versions.get(deployment["JobID"], {})
        stable = [v for number, v in versions.items() if v.get("Stable") and number < deployment["JobVersion"]]
        # register() works on its own copy (canonicalize), so the stored version is safe to hand over
        return max(stable, key=lambda v: v["Version"]) if stable else None

    def _count(self, deployment: dict) -> list[dict]:
        """Refresh the groups' Placed/Healthy/Unhealthy counts; returns the deployment's allocations."""
        allocs = [a for a in self.store.allocs.values() if a.get("DeploymentID") == deployment["ID"]]
        for alloc in allocs:
            if alloc["ClientStatus"] == "failed" and (alloc.get("DeploymentStatus") or {}).get("Healthy") is None:
                # A failed allocation is unhealthy at once (its health watcher may have stopped with it).
                mark_unhealthy(alloc, None, self.store.index + 1)
                self.store.touch(alloc)
        changed = False
        for name, state in deployment["TaskGroups"].items():
            group_allocs = [a for a in allocs if a["TaskGroup"] == name]
            health = [(a.get("DeploymentStatus") or {}).get("Healthy") for a in group_allocs]
            counts = {"PlacedAllocs": len(group_allocs), "HealthyAllocs": health.count(True),
                      "UnhealthyAllocs": health.count(False)}
            if counts["HealthyAllocs"] > state["HealthyAllocs"] and state["ProgressDeadline"]:
                counts["RequireProgressBy"] = rfc3339(now_ns() + state["ProgressDeadline"])
            if any(state.get(k) != v for k, v in counts.items()):
                state.update(counts)
                changed = True
        if changed:
            self.store.touch(deployment)
        return allocs

    def _watch(self, deployment: dict) -> None:
        allocs = self._count(deployment)
        groups = deployment["TaskGroups"].values()
        if any(g["UnhealthyAllocs"] > 0 for g in groups):
            self.fail(deployment, UNHEALTHY)
            return
        if self._past_progress_deadline(deployment):
            self.fail(deployment, PROGRESS_DEADLINE)
            return
        if self._auto_promotable(deployment):
            self.promote(deployment)
            return
        if all(_group_complete(g) for g in groups) and not self._outdated_left(deployment):
            deployment.update(Status="successful", StatusDescription=SUCCESS)
            self.store.touch(deployment)
            self._mark_stable(deployment)
            return
        healthy_total = sum(g["HealthyAllocs"] for g in groups)
        if (not requires_promotion(deployment) and self._batch_done(allocs) and self._outdated_left(deployment)
                and self._rolled_at.get(deployment["ID"]) != healthy_total):
            # Roll the next max_parallel batch once per health change (never spin on a stuck one).
            self._rolled_at[deployment["ID"]] = healthy_total
            self._evaluate(deployment)

    def _auto_promotable(self, deployment: dict) -> bool:
        """Every group with canaries auto-promotes and has all its canaries placed and healthy."""
        if not requires_promotion(deployment) or not has_auto_promote(deployment):
            return False
        for state in deployment["TaskGroups"].values():
            need = state.get("DesiredCanaries") or 0
            if need < 1:
                continue
            placed = state.get("PlacedCanaries") or []
            healthy = [i for i in placed if (self.store.allocs.get(i, {}).get("DeploymentStatus") or {}).get("Healthy") is True]
            if len(placed) < need or len(healthy) != need:
                return False
        return any(state.get("PlacedCanaries") for state in deployment["TaskGroups"].values())

    def _past_progress_deadline(self, deployment: dict) -> bool:
        now = now_rfc3339()
        return any(g["ProgressDeadline"] > 0 and g.get("RequireProgressBy") and now > g["RequireProgressBy"]
                   and not _group_complete(g) for g in deployment["TaskGroups"].values())

    def _outdated_left(self, deployment: dict) -> bool:
        """Whether allocations outside the deployment still run for the deployment's groups."""
        return any(a["JobID"] == deployment["JobID"] and a["DesiredStatus"] == "run" and a["TaskGroup"] in deployment["TaskGroups"]
                   and a["ClientStatus"] not in ALLOC_TERMINAL and a.get("DeploymentID") != deployment["ID"]
                   for a in self.store.allocs.values())

    @staticmethod
    def _batch_done(allocs: list[dict]) -> bool:
        live = [a for a in allocs if a["DesiredStatus"] == "run"]
        return bool(live) and all((a.get("DeploymentStatus") or {}).get("Healthy") is True for a in live)

    def _mark_stable(self, deployment: dict) -> None:
        version = self.store.job_versions.get(deployment["JobID"], {}).get(deployment["JobVersion"])
        if version is not None:
            version["Stable"] = True
        job = self.store.jobs.get(deployment["JobID"])
        if job is not None and job["Version"] == deployment["JobVersion"]:
            job["Stable"] = True
            self.store.touch(job)


def _group_complete(state: dict) -> bool:
    """Enough healthy allocations, and canaries (if any) promoted (isDeploymentComplete)."""
    desired_canaries = state.get("DesiredCanaries") or 0
    return (state["HealthyAllocs"] >= max(state["DesiredTotal"], desired_canaries)
            and (desired_canaries == 0 or bool(state.get("Promoted"))))
