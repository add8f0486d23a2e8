"""Nomad API shapes derived from stored objects: job stubs, summaries, alloc stubs."""

from __future__ import annotations

from devagent.jobmodel import launched_by_others
from devagent.reconcile import ALLOC_TERMINAL


def public(obj: dict) -> dict:
    """obj without devagent's private bookkeeping keys."""
    return {k: v for k, v in obj.items() if not k.startswith("_")}


def job_status(job: dict, allocs: list[dict]) -> str:
    """pending | running | dead, as Nomad derives it."""
    if job.get("Type") == "system" or launched_by_others(job):
        return "dead" if job.get("Stop") else "running"  # running until stopped, whatever their allocations
    mine = [a for a in allocs if a["JobID"] == job["ID"] and a["Job"].get("CreateIndex") == job.get("CreateIndex")]
    if any(a["ClientStatus"] not in ALLOC_TERMINAL and not a.get("_Cleaned") for a in mine):
        return "running"
    if job.get("Stop") or (mine and all(a["DesiredStatus"] != "run" for a in mine)):
        return "dead"
    return "pending"


def job_view(job: dict, allocs: list[dict]) -> dict:
    """The job with its current status."""
    return {**job, "Status": job_status(job, allocs)}


def job_summary(job: dict, allocs: list[dict]) -> dict:
    """JobSummary: per group counts of allocation client statuses."""
    summary = {}
    for group in job.get("TaskGroups") or []:
        counts = {"Queued": 0, "Complete": 0, "Failed": 0, "Running": 0, "Starting": 0, "Lost": 0, "Unknown": 0}
        for alloc in allocs:
            if alloc["JobID"] != job["ID"] or alloc["TaskGroup"] != group["Name"]:
                continue
            key = {"pending": "Starting", "running": "Running", "complete": "Complete", "failed": "Failed",
                   "lost": "Lost"}.get(alloc["ClientStatus"], "Unknown")
            counts[key] += 1
        summary[group["Name"]] = counts
    return {"JobID": job["ID"], "Namespace": job.get("Namespace") or "default", "Summary": summary,
            "Children": {"Pending": 0, "Running": 0, "Dead": 0},
            "CreateIndex": job.get("CreateIndex", 0), "ModifyIndex": job.get("ModifyIndex", 0)}


def job_stub(job: dict, allocs: list[dict]) -> dict:
    """JobListStub."""
    return {
        "ID": job["ID"], "ParentID": job.get("ParentID") or "", "Name": job.get("Name") or job["ID"],
        "Namespace": job.get("Namespace") or "default", "Datacenters": job.get("Datacenters"),
        "Multiregion": None, "Type": job.get("Type") or "service", "Priority": job.get("Priority") or 50,
        "Periodic": bool(job.get("Periodic")), "ParameterizedJob": bool(job.get("ParameterizedJob")),
        "Stop": bool(job.get("Stop")), "Status": job_status(job, allocs), "StatusDescription": job.get("StatusDescription") or "",
        "JobSummary": job_summary(job, allocs), "CreateIndex": job.get("CreateIndex", 0),
        "ModifyIndex": job.get("ModifyIndex", 0), "JobModifyIndex": job.get("JobModifyIndex", 0),
        "SubmitTime": job.get("SubmitTime", 0), "Meta": job.get("Meta"),
    }


_NO_TRANSITION = {"Migrate": None, "Reschedule": None, "ForceReschedule": None, "NoShutdownDelay": None}


def alloc_stub(alloc: dict, resources: bool = False) -> dict:
    """AllocListStub (Allocation.Stub): AllocatedResources only when asked for (`?resources=true` on the list)."""
    keys = ("ID", "EvalID", "Name", "Namespace", "NodeID", "NodeName", "JobID", "JobVersion", "TaskGroup",
            "DesiredStatus", "DesiredDescription", "ClientStatus", "ClientDescription",
            "TaskStates", "DeploymentStatus", "FollowupEvalID", "NextAllocation", "RescheduleTracker",
            "PreemptedAllocations", "PreemptedByAllocation", "CreateIndex", "ModifyIndex", "CreateTime", "ModifyTime")
    stub = {k: alloc.get(k) for k in keys}
    stub["JobType"] = alloc["Job"].get("Type") or "service"
    stub["DesiredTransition"] = {**_NO_TRANSITION, **(alloc.get("DesiredTransition") or {})}
    if resources and alloc.get("AllocatedResources") is not None:
        stub["AllocatedResources"] = alloc["AllocatedResources"]
    return stub
