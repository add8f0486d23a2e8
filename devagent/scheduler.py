"""Jobs, evaluations, placement and deployments creation: the server half of devagent."""

from __future__ import annotations

import copy
import fnmatch
from typing import Callable

from devagent.agent_context import AgentContext
from devagent.admission.job_update import job_update_error
from devagent.admission.pipeline import AdmissionError, Admitted, RequestError, admit
from devagent.feasibility import unmet_reason
from devagent.jobmodel import launched_by_others, missing_drivers, same_spec, update_strategy
from devagent.node_view import NodeFingerprint, node_view
from devagent.port_allocator import PortCollision
from devagent.resources import BinPack, Usage, host_capacity, show_capacity, used
from devagent.reconcile import GroupPlan, reconcile_group
from devagent.scaling_policies import propagate_ids, store_policies
from devagent.state import new_id, now_ns, rfc3339
from devagent.task_events import new_task_state

TRACKED_VERSIONS = 6
NOT_NEEDED = "alloc not needed due to job update"
RUNNING_NEEDS_PROMOTION = "Deployment is running but requires manual promotion"
RUNNING_AUTO_PROMOTION = "Deployment is running pending automatic promotion"
UPDATING = "alloc is being updated due to job update"


class SchedulerError(Exception):
    """A request the scheduler refuses; .status is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


class Scheduler:
    """Registers jobs and processes their evaluations synchronously on the one local node."""

    def __init__(self, ctx: AgentContext, start_alloc: Callable[[str], None], stop_alloc: Callable[..., None]):
        self.ctx = ctx
        self.store = ctx.store
        self.start_alloc = start_alloc
        self.stop_alloc = stop_alloc

    # -- jobs -------------------------------------------------------------------------
    def prepare_job(self, job: dict, namespace: str = "") -> Admitted:
        """Nomad's job admission (api canonicalize, conversion, mutators, validators) of a submitted job."""
        if not isinstance(job, dict):
            raise SchedulerError("Job must be an object")
        try:
            return admit(job, agent_region=self.ctx.node.region, namespace=namespace)
        except RequestError as exc:
            raise SchedulerError(str(exc)) from exc
        except AdmissionError as exc:
            raise SchedulerError(str(exc), 500) from exc

    def register(self, submitted: dict, enforce_index: bool = False, job_modify_index: int = 0,
                 triggered_by: str = "job-register", preserve_counts: bool = False, namespace: str = "",
                 eval_priority: int = 0) -> dict:
        """Register a job (new version only if the spec changed) and evaluate it."""
        admitted = self.prepare_job(submitted, namespace)
        job = admitted.job
        job["VaultToken"] = job["ConsulToken"] = ""  # Nomad's Register clears them: never stored, never returned
        with self.store.lock:
            existing = self.store.jobs.get(job["ID"])
            if enforce_index:
                check_enforce_index(existing, job_modify_index)
            update_error = job_update_error(existing, job)
            if update_error:
                raise SchedulerError(update_error, 500)
            if existing is not None and preserve_counts:
                counts = {g["Name"]: g["Count"] for g in existing.get("TaskGroups") or []}
                for group in job.get("TaskGroups") or []:
                    group["Count"] = counts.get(group["Name"], group["Count"])
            propagate_ids(existing, job)  # before the comparison, as Register does
            if existing is not None and same_spec(existing, job):
                job = existing
            else:
                job = self._store_new_version(job, existing)
            if launched_by_others(job):  # Register creates no evaluation for these
                return {"EvalID": "", "EvalCreateIndex": 0, "JobModifyIndex": job["JobModifyIndex"],
                        "Warnings": admitted.warnings_text(), "Index": job["JobModifyIndex"], "LastContact": 0,
                        "KnownLeader": True}
            evaluation = self.new_eval(job, triggered_by, priority=eval_priority)
            self._process(evaluation)
            return {"EvalID": evaluation["ID"], "EvalCreateIndex": evaluation["CreateIndex"],
                    "JobModifyIndex": job["JobModifyIndex"], "Warnings": admitted.warnings_text(),
                    "Index": evaluation["ModifyIndex"],
                    "LastContact": 0, "KnownLeader": True}

    def _store_new_version(self, job: dict, existing: dict | None) -> dict:
        index = self.store.next_index()
        job.update({
            "Version": existing["Version"] + 1 if existing else 0, "Stable": False, "Status": "pending",
            "StatusDescription": "", "SubmitTime": now_ns(), "CreateIndex": existing["CreateIndex"] if existing else index,
            "ModifyIndex": index, "JobModifyIndex": index,
        })
        store_policies(self.store.scaling_policies, job, index)
        self.store.jobs[job["ID"]] = job
        versions = self.store.job_versions.setdefault(job["ID"], {})
        versions[job["Version"]] = copy.deepcopy(job)
        for old in sorted(versions)[:-TRACKED_VERSIONS]:
            del versions[old]
        self._cancel_deployments(job["ID"], "Cancelled because job is stopped" if job.get("Stop")
                                 else "Cancelled due to newer version of job")
        return job

    def _cancel_deployments(self, job_id: str, description: str) -> None:
        for deployment in self.store.deployments.values():
            if deployment["JobID"] == job_id and deployment["Status"] == "running":
                deployment.update(Status="cancelled", StatusDescription=description)
                self.store.touch(deployment)

    def deregister(self, job_id: str, purge: bool) -> dict:
        """Stop a job (a new version with Stop set), or purge it; then evaluate."""
        with self.store.lock:
            existing = self.store.jobs.get(job_id)
            if existing is None:
                raise SchedulerError("job not found", 404)
            if purge:
                job = dict(existing, Stop=True)
                del self.store.jobs[job_id]
                self.store.job_versions.pop(job_id, None)
                self._cancel_deployments(job_id, "Cancelled because job is stopped")
                self.store.next_index()
            else:
                job = self._store_new_version(dict(copy.deepcopy(existing), Stop=True), existing) if not existing.get("Stop") else existing
            evaluation = self.new_eval(job, "job-deregister")
            self._process(evaluation, job_override=job)
            return {"EvalID": evaluation["ID"], "EvalCreateIndex": evaluation["CreateIndex"],
                    "JobModifyIndex": job["JobModifyIndex"], "VolumeEvalID": "", "VolumeEvalIndex": 0,
                    "Index": evaluation["ModifyIndex"], "LastContact": 0, "KnownLeader": True}

    def set_stable(self, job_id: str, version: int, stable: bool) -> int:
        """Mark a job version (un)stable, as POST /v1/job/:id/stable does; returns the new index."""
        with self.store.lock:
            job = self.store.jobs[job_id]
            self.store.job_versions[job_id][version]["Stable"] = stable
            if job["Version"] == version:
                job["Stable"] = stable
            return self.store.touch(job)

    def stop_allocation(self, alloc_id: str, no_shutdown_delay: bool = False) -> dict | None:
        """Stop one allocation by the user's request, then evaluate its job (which places a replacement)."""
        with self.store.lock:
            alloc = self.store.allocs[alloc_id]
            alloc.update(DesiredStatus="stop", DesiredDescription="alloc was stopped by user")
            self.store.touch(alloc)
            self.stop_alloc(alloc_id, "alloc was stopped by user", no_shutdown_delay=no_shutdown_delay)
            return self.evaluate(alloc["JobID"], triggered_by="alloc-stop") if alloc["JobID"] in self.store.jobs else None

    def skip_shutdown_delays(self, job_id: str) -> None:
        """?no_shutdown_delay=true on a job stop: DesiredTransition.NoShutdownDelay on its stopping allocations."""
        with self.store.lock:
            stopping = [a for a in self.store.allocs.values() if a["JobID"] == job_id
                        and a["DesiredStatus"] == "stop" and not a.get("_Cleaned")]
            for alloc in stopping:
                alloc["DesiredTransition"] = dict(alloc.get("DesiredTransition") or {}, NoShutdownDelay=True)
                self.store.touch(alloc)
        for alloc in stopping:
            self.stop_alloc(alloc["ID"], alloc.get("DesiredDescription") or "", no_shutdown_delay=True)

    def evaluate(self, job_id: str, triggered_by: str = "job-register") -> dict:
        """Create and process a new evaluation for a registered job."""
        with self.store.lock:
            job = self.store.jobs.get(job_id)
            if job is None:
                raise SchedulerError("job not found", 404)
            if launched_by_others(job):
                kind = "periodic" if job.get("Periodic") is not None else "parameterized"
                raise SchedulerError(f"can't evaluate {kind} job", 500)
            evaluation = self.new_eval(job, triggered_by)
            self._process(evaluation)
            return evaluation

    # -- evaluations ----------------------------------------------------------------
    def new_eval(self, job: dict, triggered_by: str, status: str = "pending", priority: int = 0) -> dict:
        """A new evaluation of the job, at its priority unless another is given (a register's EvalPriority)."""
        evaluation = {
            "ID": new_id(), "Namespace": job.get("Namespace") or "default",
            "Priority": priority or job.get("Priority") or 50,
            "Type": job.get("Type") or "service", "TriggeredBy": triggered_by, "JobID": job["ID"],
            "JobModifyIndex": job.get("JobModifyIndex", 0), "NodeID": "", "NodeModifyIndex": 0, "DeploymentID": "",
            "Status": status, "StatusDescription": "", "Wait": 0, "WaitUntil": None, "NextEval": "",
            "PreviousEval": "", "BlockedEval": "", "RelatedEvals": None, "FailedTGAllocs": None,
            "ClassEligibility": None, "EscapedComputedClass": False, "QuotaLimitReached": "", "AnnotatePlan": False,
            "QueuedAllocations": None, "LeaderACL": "", "SnapshotIndex": 0, "CreateIndex": 0, "ModifyIndex": 0,
            "CreateTime": 0, "ModifyTime": 0,
        }
        self.store.evals[evaluation["ID"]] = evaluation
        self.store.touch(evaluation, create=True)
        return evaluation

    def live_allocs(self, job_id: str) -> list[dict]:
        """The job's allocations that should be running."""
        return [a for a in self.store.allocs.values() if a["JobID"] == job_id and a["DesiredStatus"] == "run"]

    def current_deployment(self, job: dict) -> dict | None:
        """The newest deployment of this job version."""
        candidates = [d for d in self.store.deployments.values()
                      if d["JobID"] == job["ID"] and d["JobVersion"] == job["Version"]
                      and d["JobCreateIndex"] == job["CreateIndex"]]
        return max(candidates, key=lambda d: d["CreateIndex"], default=None)

    def stale_canaries(self, job: dict, deployment: dict | None) -> frozenset[str]:
        """Canaries placed by other deployments of the job that were never promoted."""
        stale = set()
        for other in self.store.deployments.values():
            if other["JobID"] != job["ID"] or (deployment is not None and other["ID"] == deployment.get("ID")):
                continue
            for state in other["TaskGroups"].values():
                if not state["Promoted"]:
                    stale.update(state.get("PlacedCanaries") or [])
        return frozenset(stale)

    def plan_groups(self, job: dict, deployment: dict | None) -> list[GroupPlan]:
        """Reconcile every group of job against the live allocations (a successful deployment is done)."""
        if deployment is not None and deployment.get("Status") in ("successful", "cancelled"):
            deployment = None
        live = self.live_allocs(job["ID"])
        stale = self.stale_canaries(job, deployment)
        plans = []
        groups = {g["Name"]: g for g in job.get("TaskGroups") or []}
        for name, group in groups.items():
            group_live = [a for a in live if a["TaskGroup"] == name]
            plans.append(reconcile_group(job, group, group_live, deployment, self.infeasibility(job, group), stale))
        orphans = [a for a in live if a["TaskGroup"] not in groups]
        if orphans:
            plans.append(GroupPlan("", stop=orphans))
        return plans

    def infeasibility(self, job: dict, group: dict) -> dict | None:
        """The AllocationMetric saying why this node cannot run group, or None when it can."""
        datacenter = self.ctx.node.datacenter
        patterns = job.get("Datacenters") or ["*"]
        if not any(fnmatch.fnmatchcase(datacenter, pattern) for pattern in patterns):
            return placement_metric(datacenter, group, datacenters=patterns)
        drivers = missing_drivers(group)
        if drivers:
            return placement_metric(datacenter, group, drivers=drivers)
        reason = unmet_reason(job, group, self.placement_node())
        return placement_metric(datacenter, group, filtered=reason) if reason else None

    def placement_node(self) -> dict:
        """The node as Nomad's feasibility checks see it (fingerprinted attributes, Consul's cached)."""
        if getattr(self, "_fingerprint", None) is None:
            self._fingerprint = NodeFingerprint(self.ctx.consul, self.ctx.ports.host_ip)
        return show_capacity(node_view(self.ctx.node, self._fingerprint.attributes(), self.ctx.ports.host_ip, 0),
                             self.capacity())

    def _process(self, evaluation: dict, job_override: dict | None = None) -> None:
        """Apply one evaluation: deployments, stops, in-place updates, canaries, placements; then start runners."""
        job = job_override or self.store.jobs.get(evaluation["JobID"])
        if job is None:
            evaluation.update(Status="complete")
            self.store.touch(evaluation)
            return
        self._cancel_blocked_evals(job["ID"], evaluation["ID"])
        deployment = self.current_deployment(job) if not job.get("Stop") else None
        if deployment is not None and deployment["Status"] in ("successful", "cancelled"):
            deployment = None
        plans = self.plan_groups(job, deployment)
        deployment = self._attach_deployment(job, deployment, plans, evaluation["Priority"])
        failed: dict[str, dict] = {}
        queued: dict[str, int] = {}
        to_start, to_stop = [], []
        groups = {g["Name"]: g for g in job.get("TaskGroups") or []}
        binpack = self.bin_pack({a["ID"] for plan in plans for a in plan.stop + plan.destructive})
        for plan in plans:
            for alloc in plan.stop:
                to_stop.append((alloc, NOT_NEEDED))
            if plan.failure:
                failed[plan.group] = plan.failure
                queued[plan.group] = groups[plan.group].get("Count", 1)
                continue
            for alloc in plan.inplace:
                self._update_in_place(alloc, job, deployment)
            for alloc in plan.destructive:
                to_stop.append((alloc, UPDATING))
            unplaced = 0
            placements = [(index, previous, False) for index, previous in plan.place]
            placements += [(index, None, True) for index in plan.canaries]
            for index, previous, canary in placements:
                if previous is None and not canary:
                    previous = self._stopping_namesake(job["ID"], f"{job['ID']}.{plan.group}[{index}]")
                exhausted = binpack.place(groups[plan.group], lambda: placement_metric(self.ctx.node.datacenter, groups[plan.group]))
                if exhausted is not None:
                    failed[plan.group] = exhausted
                    unplaced += 1
                    to_stop = [(a, d) for a, d in to_stop if previous is None or a["ID"] != previous["ID"]]
                    continue
                try:
                    alloc = self._place(job, groups[plan.group], index, evaluation, deployment, previous, canary)
                except PortCollision as exc:
                    unplaced += 1
                    failed[plan.group] = placement_metric(self.ctx.node.datacenter, groups[plan.group], exhausted=str(exc))
                    continue
                to_start.append(alloc["ID"])
            if plan.group:
                queued[plan.group] = unplaced
        for alloc, description in to_stop:
            alloc.update(DesiredStatus="stop", DesiredDescription=description)
            self.store.touch(alloc)
        evaluation.update(Status="complete", QueuedAllocations=queued, DeploymentID=deployment["ID"] if deployment else "",
                          SnapshotIndex=self.store.index)
        if failed:
            blocked = self.new_eval(job, evaluation["TriggeredBy"], status="blocked")
            blocked.update(StatusDescription="created to place remaining allocations", PreviousEval=evaluation["ID"])
            self.store.touch(blocked)
            evaluation.update(FailedTGAllocs=failed, BlockedEval=blocked["ID"])
        self.store.touch(evaluation)
        for alloc, description in to_stop:
            self.stop_alloc(alloc["ID"], description)
        for alloc_id in to_start:
            self.start_alloc(alloc_id)

    # -- resources (devagent/resources.py) ------------------------------------------
    def capacity(self) -> Usage:
        """What the node offers (fingerprinted once; cpu_total_compute and memory_total_mb override)."""
        if getattr(self, "_capacity", None) is None:
            self._capacity = host_capacity(self.ctx.data_dir, *getattr(self, "capacity_overrides", (0, 0)))
        return self._capacity

    def bin_pack(self, leaving: set[str] = frozenset()) -> BinPack:
        """The node's capacity against its live allocations (those in leaving are being stopped)."""
        return BinPack(self.capacity(), used(self.store.allocs.values(), leaving), self.ctx.node.node_class)

    def resource_failures(self, job: dict, plans: list[GroupPlan]) -> dict[str, dict]:
        """The groups whose placements in plans would not fit beside the live allocations (for a plan)."""
        groups = {g["Name"]: g for g in job.get("TaskGroups") or []}
        binpack = self.bin_pack({a["ID"] for plan in plans for a in plan.stop + plan.destructive})
        for plan in plans:
            if plan.group and not plan.failure:
                group = groups[plan.group]
                for _ in range(len(plan.place) + len(plan.canaries)):
                    binpack.place(group, lambda: placement_metric(self.ctx.node.datacenter, group))
        return binpack.failed

    def _update_in_place(self, alloc: dict, job: dict, deployment: dict | None) -> None:
        """Give a running allocation the new job version; it joins the deployment and proves its health again."""
        alloc.update(Job=copy.deepcopy(job), JobVersion=job["Version"])
        deployment_id = deployment["ID"] if deployment else ""
        if alloc.get("DeploymentID") != deployment_id:
            alloc.update(DeploymentID=deployment_id, DeploymentStatus=None)
        self.store.touch(alloc)

    def _attach_deployment(self, job: dict, deployment: dict | None, plans: list[GroupPlan],
                           eval_priority: int) -> dict | None:
        """Create the deployment the plans ask for (or add their groups to it); record desired canaries."""
        created = False
        for plan in plans:
            if plan.new_state is not None:
                if deployment is None:
                    deployment, created = self._new_deployment(job, eval_priority), True
                state = dict(plan.new_state)
                if state["ProgressDeadline"]:
                    state["RequireProgressBy"] = rfc3339(now_ns() + state["ProgressDeadline"])
                deployment["TaskGroups"][plan.group] = state
            elif deployment is not None and plan.group in deployment["TaskGroups"]:
                deployment["TaskGroups"][plan.group]["DesiredCanaries"] = plan.desired_canaries
        if deployment is not None:
            if created and requires_promotion(deployment):
                deployment["StatusDescription"] = (RUNNING_AUTO_PROMOTION if has_auto_promote(deployment)
                                                   else RUNNING_NEEDS_PROMOTION)
            self.store.touch(deployment)
        return deployment

    def place_replacement(self, job: dict, failed: dict, evaluation: dict, tracker: dict) -> None:
        """Place the replacement of a failed allocation (a reschedule) and complete evaluation."""
        group = next(g for g in job["TaskGroups"] if g["Name"] == failed["TaskGroup"])
        deployment = self.current_deployment(job)
        deployment = deployment if deployment is not None and deployment["Status"] == "running" else None
        index = int(failed["Name"].rsplit("[", 1)[1].rstrip("]"))
        exhausted = self.bin_pack().place(group, lambda: placement_metric(self.ctx.node.datacenter, group))
        if exhausted is not None:
            evaluation.update(Status="complete", FailedTGAllocs={group["Name"]: exhausted})
            self.store.touch(evaluation)
            return
        try:
            alloc = self._place(job, group, index, evaluation, deployment, failed)
        except PortCollision as exc:
            evaluation.update(Status="complete", FailedTGAllocs={
                group["Name"]: placement_metric(self.ctx.node.datacenter, group, exhausted=str(exc))})
            self.store.touch(evaluation)
            return
        alloc["RescheduleTracker"] = tracker
        evaluation.update(Status="complete", DeploymentID=deployment["ID"] if deployment else "")
        self.store.touch(evaluation)
        self.start_alloc(alloc["ID"])

    def _stopping_namesake(self, job_id: str, name: str) -> dict | None:
        """A stopped allocation of that name still shutting down: the new one replaces it (and its ports)."""
        return next((a for a in self.store.allocs.values() if a["JobID"] == job_id and a["Name"] == name
                     and a["DesiredStatus"] == "stop" and not a.get("_Cleaned") and not a.get("NextAllocation")), None)

    def _cancel_blocked_evals(self, job_id: str, keep: str) -> None:
        for other in self.store.evals.values():
            if other["JobID"] == job_id and other["Status"] == "blocked" and other["ID"] != keep:
                other.update(Status="canceled", StatusDescription=f"evaluation {keep} successful")
                self.store.touch(other)

    def wants_deployment(self, job: dict) -> bool:
        if (job.get("Type") or "service") != "service":
            return False
        return any(update_strategy(job, g) for g in job.get("TaskGroups") or [])

    def _new_deployment(self, job: dict, eval_priority: int) -> dict:
        """A running deployment of this job version, without groups yet."""
        now = now_ns()
        deployment = {
            "ID": new_id(), "Namespace": job.get("Namespace") or "default", "JobID": job["ID"],
            "JobVersion": job["Version"], "JobModifyIndex": job["JobModifyIndex"], "JobSpecModifyIndex": job["JobModifyIndex"],
            "JobCreateIndex": job["CreateIndex"], "IsMultiregion": False, "TaskGroups": {}, "Status": "running",
            "StatusDescription": "Deployment is running", "EvalPriority": eval_priority,
            "CreateIndex": 0, "ModifyIndex": 0, "CreateTime": now, "ModifyTime": now,
        }
        self.store.deployments[deployment["ID"]] = deployment
        self.store.touch(deployment, create=True)
        return deployment

    def _place(self, job: dict, group: dict, index: int, evaluation: dict, deployment: dict | None,
               previous: dict | None, canary: bool = False) -> dict:
        alloc_id = new_id()
        inherit = previous["AllocatedResources"]["Shared"]["Ports"] if previous is not None else []
        ports = self.ctx.ports.allocate(group.get("Networks") or [], alloc_id, inherit)
        alloc = new_allocation(alloc_id, job, group, index, evaluation["ID"], self.ctx.node, ports)
        state = (deployment or {}).get("TaskGroups", {}).get(group["Name"])
        if state is not None:
            alloc["DeploymentID"] = deployment["ID"]
            if canary:
                alloc["DeploymentStatus"] = {"Healthy": None, "Timestamp": "0001-01-01T00:00:00Z", "Canary": True,
                                             "ModifyIndex": 0}
                state["PlacedCanaries"] = (state.get("PlacedCanaries") or []) + [alloc_id]
                self.store.touch(deployment)
        if previous is not None:
            alloc["PreviousAllocation"] = previous["ID"]
            previous["NextAllocation"] = alloc["ID"]
        self.store.allocs[alloc["ID"]] = alloc
        self.store.touch(alloc, create=True)
        alloc["AllocModifyIndex"] = alloc["ModifyIndex"]
        return alloc


def requires_promotion(deployment: dict) -> bool:
    """A running deployment with canaries of a group not promoted yet (Deployment.RequiresPromotion)."""
    return deployment["Status"] == "running" and any(
        g.get("DesiredCanaries", 0) > 0 and not g.get("Promoted") for g in deployment["TaskGroups"].values())


def has_auto_promote(deployment: dict) -> bool:
    """Every group with canaries promotes itself (Deployment.HasAutoPromote)."""
    return deployment["Status"] == "running" and bool(deployment["TaskGroups"]) and all(
        g.get("AutoPromote") for g in deployment["TaskGroups"].values() if g.get("DesiredCanaries", 0) > 0)


def check_enforce_index(existing: dict | None, index: int) -> None:
    """Nomad's EnforceIndex check, with its exact error texts."""
    prefix = f"Enforcing job modify index {index}"
    if index == 0 and existing is not None:
        raise SchedulerError(f"{prefix}: job already exists", 500)
    if index > 0 and existing is None:
        raise SchedulerError(f"{prefix}: job does not exist", 500)
    if index > 0 and existing["JobModifyIndex"] != index:
        raise SchedulerError(f"{prefix}: job exists with conflicting job modify index: {existing['JobModifyIndex']}", 500)


def placement_metric(datacenter: str, group: dict, drivers: list[str] | None = None,
                     exhausted: str | None = None, datacenters: list[str] | None = None,
                     filtered: str | None = None) -> dict:
    """An AllocationMetric explaining why a group could not be placed on the node."""
    metric = {
        "NodesInPool": 1, "NodesEvaluated": 1, "NodesFiltered": 0, "NodesAvailable": {datacenter: 1},
        "ClassFiltered": None, "ConstraintFiltered": None, "NodesExhausted": 0, "ClassExhausted": None,
        "DimensionExhausted": None, "QuotaExhausted": None, "ResourcesExhausted": None, "ScoreMetaData": None,
        "Scores": None, "AllocationTime": 50_000, "CoalescedFailures": max(group.get("Count", 1) - 1, 0),
    }
    if drivers:
        metric.update(NodesFiltered=1, ConstraintFiltered={"missing drivers": 1})
    if filtered:
        metric.update(NodesFiltered=1, ConstraintFiltered={filtered: 1})
    if exhausted:
        metric.update(NodesExhausted=1, DimensionExhausted={exhausted: 1}, CoalescedFailures=0)
    if datacenters:
        # No node in the job's datacenters: nothing is even evaluated.
        metric.update(NodesInPool=0, NodesEvaluated=0, NodesAvailable={dc: 0 for dc in datacenters})
    return metric


def new_allocation(alloc_id: str, job: dict, group: dict, index: int, eval_id: str, node, ports: list[dict]) -> dict:
    """A fresh pending allocation of group with its ports."""
    networks = []
    for net in group.get("Networks") or []:
        labels_static = {p["Label"] for p in net.get("ReservedPorts") or []}
        networks.append({
            "Mode": net.get("Mode") or "host", "Device": "", "CIDR": "", "IP": "127.0.0.1", "MBits": 0,
            "DNS": None,
            "ReservedPorts": [{"Label": p["Label"], "Value": p["Value"], "To": p["To"], "HostNetwork": "default"}
                              for p in ports if p["Label"] in labels_static],
            "DynamicPorts": [{"Label": p["Label"], "Value": p["Value"], "To": p["To"], "HostNetwork": "default"}
                             for p in ports if p["Label"] not in labels_static],
        })
    tasks = {t["Name"]: {"Cpu": {"CpuShares": (t.get("Resources") or {}).get("CPU") or 100},
                         "Memory": {"MemoryMB": (t.get("Resources") or {}).get("MemoryMB") or 300, "MemoryMaxMB": 0},
                         "Networks": None, "Devices": None}
             for t in group["Tasks"]}
    now = now_ns()
    return {
        "ID": alloc_id, "Namespace": job.get("Namespace") or "default", "EvalID": eval_id,
        "Name": f"{job['ID']}.{group['Name']}[{index}]", "NodeID": node.id, "NodeName": node.name,
        "JobID": job["ID"], "Job": copy.deepcopy(job), "TaskGroup": group["Name"],
        "Resources": {"CPU": sum(t["Cpu"]["CpuShares"] for t in tasks.values()),
                      "MemoryMB": sum(t["Memory"]["MemoryMB"] for t in tasks.values()),
                      "DiskMB": (group.get("EphemeralDisk") or {}).get("SizeMB") or 300, "Networks": networks},
        "AllocatedResources": {"Tasks": tasks, "TaskLifecycles": None,
                               "Shared": {"DiskMB": (group.get("EphemeralDisk") or {}).get("SizeMB") or 300,
                                          "Networks": networks, "Ports": ports}},
        "Metrics": placement_metric(node.datacenter, group) | {"NodesFiltered": 0},
        "DesiredStatus": "run", "DesiredDescription": "", "DesiredTransition": {"Migrate": None, "Reschedule": None},
        "ClientStatus": "pending", "ClientDescription": "No tasks have started",
        "TaskStates": {t["Name"]: new_task_state() for t in group["Tasks"]},
        "DeploymentID": "", "DeploymentStatus": None, "PreviousAllocation": "", "NextAllocation": "",
        "RescheduleTracker": None, "FollowupEvalID": "", "PreemptedAllocations": None, "PreemptedByAllocation": "",
        "JobVersion": job["Version"], "CreateIndex": 0, "ModifyIndex": 0, "AllocModifyIndex": 0,
        "CreateTime": now, "ModifyTime": now,
    }
