"""Nomad's blocked evaluations for devagent's one node: capacity freed by a finished allocation unblocks them.

On Nomad, an allocation whose client status becomes complete or failed unblocks the evaluations
that were blocked for the node's class (fsm applyAllocClientUpdate -> BlockedEvals.UnblockClassAndQuota),
and the scheduler tries their placements again. devagent does the same for evaluations blocked
because the node's resources were exhausted (a missing driver or an unmet constraint does not
change when an allocation ends): the job gets a new evaluation (`queued-allocs`), which places
what now fits and cancels the blocked one, or blocks again.
"""

from __future__ import annotations

from devagent.store_watcher import StoreWatcher

FINISHED = ("complete", "failed", "lost")
TRIGGER = "queued-allocs"


class BlockedEvals(StoreWatcher):
    """Re-evaluates jobs blocked on exhausted resources once an allocation has finished."""

    name = "blocked-evals"

    def __init__(self, scheduler):
        super().__init__(scheduler)
        self._finished: set[str] | None = None

    def tick(self) -> None:
        """Runs under the store lock: when allocations finished since the last tick, unblock."""
        finished = {a["ID"] for a in self.store.allocs.values() if a["ClientStatus"] in FINISHED}
        newly = finished - (self._finished or set())
        self._finished = finished
        if not newly:
            return
        for evaluation in list(self.store.evals.values()):
            if evaluation["Status"] == "blocked" and self._blocked_on_resources(evaluation):
                job = self.store.jobs.get(evaluation["JobID"])
                if job is not None and not job.get("Stop"):
                    self.scheduler.evaluate(job["ID"], triggered_by=TRIGGER)

    def _blocked_on_resources(self, blocked: dict) -> bool:
        """Whether the evaluation that created the blocked one failed for lack of resources."""
        previous = self.store.evals.get(blocked.get("PreviousEval") or "") or {}
        return any((metric or {}).get("DimensionExhausted")
                   for metric in (previous.get("FailedTGAllocs") or {}).values())
