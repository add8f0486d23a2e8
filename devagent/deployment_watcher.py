"""Drive running deployments: count health, roll the next batch, succeed, fail, auto-revert."""

from __future__ import annotations

from devagent.jobmodel import same_spec
from devagent.reconcile import ALLOC_TERMINAL
from devagent.scheduler import Scheduler, SchedulerError
from devagent.state import now_ns, now_rfc3339, rfc3339
from devagent.store_watcher import StoreWatcher

UNHEALTHY = "Failed due to unhealthy allocations"
PROGRESS_DEADLINE = "Failed due to progress deadline"
SUCCESS = "Deployment completed successfully"


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

    def fail(self, deployment: dict, reason: str) -> None:
        """Fail a deployment and, with auto_revert, register the last stable version again."""
        with self.store.lock:
            if deployment["Status"] != "running":
                return
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
                except SchedulerError as exc:
                    self.scheduler.ctx.log(f"auto revert of {deployment['JobID']} failed: {exc}")

    def _stable_version(self, deployment: dict) -> dict | None:
        versions = self.store.job_versions.get(deployment["JobID"], {})
        stable = [v for number, v in versions.items() if v.get("Stable") and number < deployment["JobVersion"]]
        # register() works on its own copy (canonicalize), so the stored version is safe to hand over
        return max(stable, key=lambda v: v["Version"]) if stable else None

    def _watch(self, deployment: dict) -> None:
        allocs = [a for a in self.store.allocs.values() if a.get("DeploymentID") == deployment["ID"]]
        changed = False
        for name, state in deployment["TaskGroups"].items():
            group_allocs = [a for a in allocs if a["TaskGroup"] == name]
            healthy = [a for a in group_allocs if (a.get("DeploymentStatus") or {}).get("Healthy") is True]
            counts = {"PlacedAllocs": len(group_allocs), "HealthyAllocs": len(healthy),
                      "UnhealthyAllocs": sum(1 for a in group_allocs if (a.get("DeploymentStatus") or {}).get("Healthy") is False)}
            if counts["HealthyAllocs"] > state["HealthyAllocs"] and healthy:
                counts["RequireProgressBy"] = rfc3339(now_ns() + state["ProgressDeadline"])
            if any(state.get(k) != v for k, v in counts.items()):
                state.update(counts)
                changed = True
        if changed:
            self.store.touch(deployment)
        groups = deployment["TaskGroups"].values()
        if any(g["UnhealthyAllocs"] > 0 for g in groups):
            self.fail(deployment, UNHEALTHY)
            return
        if self._past_progress_deadline(deployment):
            self.fail(deployment, PROGRESS_DEADLINE)
            return
        if all(g["HealthyAllocs"] >= g["DesiredTotal"] for g in groups) and not self._outdated_left(deployment):
            deployment.update(Status="successful", StatusDescription=SUCCESS)
            self.store.touch(deployment)
            self._mark_stable(deployment)
            return
        healthy_total = sum(g["HealthyAllocs"] for g in groups)
        if (self._batch_done(deployment, allocs) and self._outdated_left(deployment)
                and self._rolled_at.get(deployment["ID"]) != healthy_total):
            # Roll the next max_parallel batch once per health change (never spin on a stuck one).
            self._rolled_at[deployment["ID"]] = healthy_total
            self.scheduler.evaluate(deployment["JobID"], triggered_by="deployment-watcher")

    def _past_progress_deadline(self, deployment: dict) -> bool:
        now = now_rfc3339()
        return any(g["ProgressDeadline"] > 0 and g["RequireProgressBy"] and now > g["RequireProgressBy"]
                   and g["HealthyAllocs"] < g["DesiredTotal"] for g in deployment["TaskGroups"].values())

    def _outdated_left(self, deployment: dict) -> bool:
        """Whether allocations of other job versions still run for the deployment's groups."""
        return any(a["JobID"] == deployment["JobID"] and a["DesiredStatus"] == "run" and a["TaskGroup"] in deployment["TaskGroups"]
                   and a["ClientStatus"] not in ALLOC_TERMINAL and a.get("DeploymentID") != deployment["ID"]
                   for a in self.store.allocs.values())

    @staticmethod
    def _batch_done(deployment: dict, allocs: list[dict]) -> bool:
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
