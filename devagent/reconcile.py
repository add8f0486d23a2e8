"""Decide, per task group, what to place, stop, update in place or replace (a small reconciler)."""

from __future__ import annotations

from dataclasses import dataclass, field

from devagent.jobmodel import same_group

ALLOC_TERMINAL = ("complete", "failed", "lost")


@dataclass
class GroupPlan:
    """What one evaluation does to one task group."""

    group: str
    place: list[tuple[int, dict | None]] = field(default_factory=list)  # (index, replaced alloc or None)
    stop: list[dict] = field(default_factory=list)
    inplace: list[dict] = field(default_factory=list)
    destructive: list[dict] = field(default_factory=list)  # replaced now (also listed in place)
    ignore: list[dict] = field(default_factory=list)
    failure: dict | None = None  # the AllocationMetric when the node cannot run the group

    def annotation(self) -> dict:
        """Nomad's DesiredTGUpdates entry for this group."""
        return {"Ignore": len(self.ignore), "Place": len(self.place) - len(self.destructive), "Migrate": 0,
                "Stop": len(self.stop), "InPlaceUpdate": len(self.inplace),
                "DestructiveUpdate": len(self.destructive), "Canary": 0, "Preemptions": 0}


def _index_of(alloc: dict) -> int:
    return int(alloc["Name"].rsplit("[", 1)[1].rstrip("]"))


def reconcile_group(job: dict, group: dict, live: list[dict], destructive_limit: int | None,
                    failure: dict | None = None) -> GroupPlan:
    """Plan one group. live: the job's allocations of this group with DesiredStatus run.

    destructive_limit: how many old allocations may be replaced now (None = all).
    failure: why the node cannot run this group at all (then nothing is placed or replaced).
    """
    plan = GroupPlan(group["Name"])
    if job.get("Stop"):
        plan.stop = list(live)
        return plan
    if failure is not None:
        plan.failure = failure
        plan.ignore = list(live)
        return plan
    current, inplace, outdated = [], [], []
    for alloc in sorted(live, key=_index_of):
        if alloc["JobVersion"] == job["Version"] and alloc["Job"].get("JobModifyIndex") == job.get("JobModifyIndex"):
            current.append(alloc)
        elif same_group(alloc["Job"], job, group["Name"]):
            inplace.append(alloc)
        else:
            outdated.append(alloc)
    count = group.get("Count", 1) if group.get("Count") is not None else 1
    keep = current + inplace + outdated
    excess = keep[count:] if len(keep) > count else []
    # Stop extras, preferring outdated allocations and the highest indexes.
    for alloc in sorted(keep, key=lambda a: (a in current or a in inplace, -_index_of(a)))[:len(excess)]:
        plan.stop.append(alloc)
    stopped = {a["ID"] for a in plan.stop}
    current = [a for a in current if a["ID"] not in stopped]
    plan.inplace = [a for a in inplace if a["ID"] not in stopped]
    outdated = [a for a in outdated if a["ID"] not in stopped]
    plan.ignore = list(current)
    limit = len(outdated) if destructive_limit is None else max(0, destructive_limit)
    plan.destructive = outdated[:limit]
    plan.ignore += outdated[limit:]
    plan.place = [(_index_of(a), a) for a in plan.destructive]
    used = {_index_of(a) for a in current + plan.inplace + outdated}
    index = 0
    while len(used) < count:
        if index not in used:
            plan.place.append((index, None))
            used.add(index)
        index += 1
    return plan
