"""Decide, per task group, what to place, stop, update in place or replace, and which canaries to add.

A small version of Nomad's allocReconciler (scheduler/reconcile.go) for one node: count changes
scale in place, destructive changes roll `max_parallel` at a time, and with `canary` set the
new version first runs beside the old one until the deployment is promoted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from devagent.jobmodel import update_strategy
from devagent.tasks_updated import tasks_updated

ALLOC_TERMINAL = ("complete", "failed", "lost")


@dataclass
class GroupPlan:
    """What one evaluation does to one task group."""

    group: str
    place: list[tuple[int, dict | None]] = field(default_factory=list)  # (index, replaced alloc or None)
    canaries: list[int] = field(default_factory=list)  # indexes of canaries to place (not in `place`)
    stop: list[dict] = field(default_factory=list)
    inplace: list[dict] = field(default_factory=list)
    destructive: list[dict] = field(default_factory=list)  # replaced now (also listed in place)
    ignore: list[dict] = field(default_factory=list)
    failure: dict | None = None  # the AllocationMetric when the node cannot run the group
    new_state: dict | None = None  # the group's DeploymentState when this evaluation starts a deployment
    desired_canaries: int = 0

    def annotation(self) -> dict:
        """Nomad's DesiredTGUpdates entry for this group."""
        return {"Ignore": len(self.ignore), "Place": len(self.place) - len(self.destructive), "Migrate": 0,
                "Stop": len(self.stop), "InPlaceUpdate": len(self.inplace),
                "DestructiveUpdate": len(self.destructive), "Canary": len(self.canaries), "Preemptions": 0}


def index_of(alloc: dict) -> int:
    """The allocation's index in its group (the N of job.group[N])."""
    return int(alloc["Name"].rsplit("[", 1)[1].rstrip("]"))


def is_canary(alloc: dict) -> bool:
    """Whether the allocation is an unpromoted canary."""
    return bool((alloc.get("DeploymentStatus") or {}).get("Canary"))


def _healthy(alloc: dict):
    return (alloc.get("DeploymentStatus") or {}).get("Healthy")


@dataclass
class _Deployment:
    """The parts of the current deployment one group's reconciliation reads."""

    id: str | None
    state: dict | None
    paused: bool
    failed: bool

    @classmethod
    def of(cls, deployment: dict | None, group: str) -> "_Deployment":
        if deployment is None:
            return cls(None, None, False, False)
        return cls(deployment.get("ID"), (deployment.get("TaskGroups") or {}).get(group),
                   deployment.get("Status") == "paused", deployment.get("Status") == "failed")

    @property
    def exists(self) -> bool:
        return bool(self.id)  # the plan endpoint passes an ID-less stand-in for a deployment to be

    @property
    def promoted(self) -> bool:
        return bool(self.state and self.state.get("Promoted"))

    @property
    def placed_canaries(self) -> set[str]:
        return set((self.state or {}).get("PlacedCanaries") or [])


def reconcile_group(job: dict, group: dict, live: list[dict], deployment: dict | None = None,
                    failure: dict | None = None, stale_canaries: frozenset[str] = frozenset()) -> GroupPlan:
    """Plan one group. live: the job's allocations of this group with DesiredStatus run.

    deployment: the running (or paused/failed) deployment of this job version, or None.
    failure: why the node cannot run this group at all (then nothing is placed or replaced).
    stale_canaries: canaries of older deployments that were never promoted (they are stopped).
    """
    plan = GroupPlan(group["Name"])
    if job.get("Stop"):
        plan.stop = list(live)
        return plan
    if failure is not None:
        plan.failure = failure
        plan.ignore = list(live)
        return plan
    dep = _Deployment.of(deployment, group["Name"])
    strategy = update_strategy(job, group)
    count = group.get("Count", 1) if group.get("Count") is not None else 1

    # Canaries of an older deployment, or of this one once it failed unpromoted, are not needed.
    unneeded = set(stale_canaries) | (dep.placed_canaries if dep.failed and not dep.promoted else set())
    plan.stop = [a for a in live if a["ID"] in unneeded]
    untainted = [a for a in live if a["ID"] not in unneeded]
    canaries = [a for a in untainted if a["ID"] in dep.placed_canaries]
    canarying = bool(dep.state and dep.state.get("DesiredCanaries") and not dep.promoted)

    stopped = _compute_stop(untainted, canaries, canarying, count)
    plan.stop += stopped
    untainted = [a for a in untainted if a not in stopped]

    ignore, inplace, destructive = [], [], []
    for alloc in sorted(untainted, key=index_of):
        if alloc["JobVersion"] == job["Version"] and alloc["Job"].get("JobModifyIndex") == job.get("JobModifyIndex"):
            ignore.append(alloc)
        elif tasks_updated(alloc["Job"], job, group["Name"]):
            destructive.append(alloc)
        else:
            inplace.append(alloc)
    plan.ignore, plan.inplace = ignore, inplace
    desired_total = len(destructive) + len(inplace)
    if canarying:
        untainted = [a for a in untainted if a not in canaries]

    plan.desired_canaries = (dep.state or {}).get("DesiredCanaries") or 0
    wanted_canaries = strategy["Canary"] if strategy else 0
    if strategy and destructive and len(canaries) < wanted_canaries and not dep.promoted:
        plan.desired_canaries = wanted_canaries
        if not dep.paused and not dep.failed:
            plan.canaries = _next_canary_indexes(wanted_canaries - len(canaries), canaries, destructive, count)
    canarying = bool(plan.desired_canaries) and not dep.promoted

    under = _under_provisioned_by(strategy, dep, untainted, destructive, canarying, count)
    taken = {index_of(a) for a in untainted + canaries}
    missing = max(count - len(untainted), 0)
    new_indexes = [i for i in range(count + len(taken)) if i not in taken][:missing]
    if not dep.state:
        desired_total += len(new_indexes)
    if not dep.paused and not dep.failed and not canarying:
        plan.place = [(i, None) for i in new_indexes]
        under -= min(len(new_indexes), under)
        plan.destructive = destructive[:max(under, 0)]
        plan.place += [(index_of(a), a) for a in plan.destructive]
    plan.ignore += [a for a in destructive if a not in plan.destructive]

    if strategy and not dep.state and desired_total:
        had_running = any(a["Job"].get("Version") == job["Version"] and a["Job"].get("CreateIndex") == job.get("CreateIndex")
                          for a in live)
        if not had_running or destructive or inplace:
            plan.new_state = new_deployment_state(strategy, desired_total, plan.desired_canaries)
    return plan


def new_deployment_state(strategy: dict, desired_total: int, desired_canaries: int) -> dict:
    """A DeploymentState for a group whose deployment starts now."""
    return {"AutoRevert": strategy["AutoRevert"], "AutoPromote": strategy["AutoPromote"],
            "ProgressDeadline": strategy["ProgressDeadline"], "RequireProgressBy": None, "Promoted": False,
            "PlacedCanaries": [], "DesiredCanaries": desired_canaries, "DesiredTotal": desired_total,
            "PlacedAllocs": 0, "HealthyAllocs": 0, "UnhealthyAllocs": 0}


def _compute_stop(untainted: list[dict], canaries: list[dict], canarying: bool, count: int) -> list[dict]:
    """Allocations beyond count: after a promotion the old namesakes of canaries, then the highest indexes."""
    candidates = [a for a in untainted if not (canarying and a in canaries)]
    remove = len(candidates) - count
    if remove <= 0:
        return []
    stop = []
    if not canarying and canaries:
        names = {a["Name"] for a in canaries}
        for alloc in sorted(candidates, key=index_of):
            if alloc not in canaries and alloc["Name"] in names and len(stop) < remove:
                stop.append(alloc)
    rest = [a for a in candidates if a not in stop]
    # Highest index first; of two with one name, the older version first.
    rest.sort(key=lambda a: (-index_of(a), a in canaries, a["JobVersion"]))
    return stop + rest[:remove - len(stop)]


def _next_canary_indexes(n: int, canaries: list[dict], destructive: list[dict], count: int) -> list[int]:
    """Names for new canaries: those of allocations being replaced first (allocNameIndex.NextCanaries)."""
    used = {index_of(a) for a in canaries}
    chosen = []
    for index in sorted({index_of(a) for a in destructive if index_of(a) < count}):
        if index not in used and len(chosen) < n:
            chosen.append(index)
            used.add(index)
    index = 0
    while len(chosen) < n:
        if index not in used:
            chosen.append(index)
            used.add(index)
        index += 1
    return chosen


def _under_provisioned_by(strategy: dict | None, dep: _Deployment, untainted: list[dict], destructive: list[dict],
                          canarying: bool, count: int) -> int:
    """How many more allocations may be placed or replaced now (computeUnderProvisionedBy)."""
    if strategy is None or not destructive:
        return count
    if not dep.exists:
        return strategy["MaxParallel"]
    if dep.paused or dep.failed or canarying:
        return 0
    under = strategy["MaxParallel"]
    for alloc in untainted:
        if alloc.get("DeploymentID") != dep.id:
            continue
        if _healthy(alloc) is False:
            return 0
        if _healthy(alloc) is not True:
            under -= 1
    return max(under, 0)
