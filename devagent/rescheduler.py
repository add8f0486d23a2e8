"""Reschedule failed allocations by their reschedule policy (Nomad's alloc-failure follow-up evals)."""

from __future__ import annotations

from devagent.jobmodel import task_group
from devagent.jobspec import defaults
from devagent.scheduler import Scheduler
from devagent.state import now_ns, rfc3339
from devagent.store_watcher import StoreWatcher

RESCHEDULED = "alloc was rescheduled because it failed"


def reschedule_policy(job: dict, group: dict) -> dict:
    """The group's reschedule policy over the job type's defaults."""
    job_type = job.get("Type") if job.get("Type") in ("service", "batch") else "service"
    return {**defaults.reschedule_policy(job_type),
            **{k: v for k, v in (group.get("ReschedulePolicy") or {}).items() if v is not None}}


def next_delay(policy: dict, previous_events: list[dict]) -> int | None:
    """Nanoseconds to wait before the next attempt, or None when the policy is exhausted."""
    now = now_ns()
    if not policy["Unlimited"]:
        recent = [e for e in previous_events if now - e["RescheduleTime"] <= policy["Interval"]]
        if len(recent) >= policy["Attempts"]:
            return None
    base, attempt = policy["Delay"], len(previous_events)
    if policy["DelayFunction"] == "exponential":
        delay = base * (2 ** attempt)
    elif policy["DelayFunction"] == "fibonacci":
        a, b = base, base
        for _ in range(attempt):
            a, b = b, a + b
        delay = a
    else:
        delay = base
    return min(delay, policy["MaxDelay"]) if policy["MaxDelay"] else delay


class Rescheduler(StoreWatcher):
    """A background thread: failed allocation -> delayed follow-up eval -> replacement allocation."""

    name = "rescheduler"

    def __init__(self, scheduler: Scheduler):
        super().__init__(scheduler)
        self._given_up: set[str] = set()
        self._pending: dict[str, tuple[str, int]] = {}  # follow-up eval ID -> (failed alloc ID, delay)

    def tick(self) -> None:
        """Follow up failed allocations and run follow-up evaluations that are due."""
        for alloc in list(self.store.allocs.values()):
            if self._eligible(alloc):
                self._follow_up(alloc)
        for evaluation in list(self.store.evals.values()):
            if (evaluation["ID"] in self._pending and evaluation["Status"] == "pending"
                    and evaluation["WaitUntil"] <= rfc3339(now_ns())):
                self._run(evaluation)

    def _eligible(self, alloc: dict) -> bool:
        if (alloc["ClientStatus"] != "failed" or alloc["DesiredStatus"] != "run" or alloc.get("NextAllocation")
                or alloc.get("FollowupEvalID") or alloc["ID"] in self._given_up):
            return False
        job = self.store.jobs.get(alloc["JobID"])
        if job is None or job.get("Stop") or job["CreateIndex"] != alloc["Job"].get("CreateIndex"):
            return False
        deployment = self.store.deployments.get(alloc.get("DeploymentID") or "")
        # Within an active deployment the deployment watcher decides (fail, auto-revert) first.
        return deployment is None or deployment["Status"] != "running"

    def _follow_up(self, alloc: dict) -> None:
        job = self.store.jobs[alloc["JobID"]]
        group = task_group(job, alloc["TaskGroup"])
        if group is None:
            self._given_up.add(alloc["ID"])
            return
        events = (alloc.get("RescheduleTracker") or {}).get("Events") or []
        delay = next_delay(reschedule_policy(job, group), events)
        if delay is None:
            self._given_up.add(alloc["ID"])
            return
        evaluation = self.scheduler.new_eval(job, "alloc-failure")
        evaluation.update(WaitUntil=rfc3339(now_ns() + delay), PreviousEval=alloc["EvalID"], Wait=0)
        self._pending[evaluation["ID"]] = (alloc["ID"], delay)
        self.store.touch(evaluation)
        alloc["FollowupEvalID"] = evaluation["ID"]
        self.store.touch(alloc)

    def _run(self, evaluation: dict) -> None:
        alloc_id, delay = self._pending.pop(evaluation["ID"])
        alloc = self.store.allocs.get(alloc_id)
        job = self.store.jobs.get(evaluation["JobID"])
        if alloc is None or job is None or job.get("Stop") or alloc["DesiredStatus"] != "run":
            evaluation.update(Status="complete")
            self.store.touch(evaluation)
            return
        alloc.update(DesiredStatus="stop", DesiredDescription=RESCHEDULED)
        self.store.touch(alloc)
        tracker = {"Events": ((alloc.get("RescheduleTracker") or {}).get("Events") or []) + [
            {"RescheduleTime": now_ns(), "PrevAllocID": alloc["ID"], "PrevNodeID": alloc["NodeID"], "Delay": delay}]}
        self.scheduler.place_replacement(job, alloc, evaluation, tracker)
