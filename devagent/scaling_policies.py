"""A job's scaling policies as Nomad's server keeps them: IDs carried across versions, indexes from its table."""

from __future__ import annotations

from devagent.state import new_id

# The fields ScalingPolicy.Diff compares (an unchanged policy keeps its row in the table).
_COMPARED = ("Type", "Target", "Policy", "Min", "Max", "Enabled")


def job_policies(job: dict) -> list[dict]:
    """Job.GetScalingPolicies: each group's horizontal policy, then its tasks' policies."""
    policies = []
    for group in job.get("TaskGroups") or []:
        if group.get("Scaling") is not None:
            policies.append(group["Scaling"])
        for task in group.get("Tasks") or []:
            policies.extend(task.get("ScalingPolicies") or [])
    return policies


def _job_key(policy: dict) -> tuple:
    """ScalingPolicy.JobKey: type, group and task."""
    target = policy.get("Target") or {}
    return policy.get("Type") or "", target.get("Group") or "", target.get("Task") or ""


def propagate_ids(existing: dict | None, job: dict) -> None:
    """propagateScalingPolicyIDs: a policy keeps the ID it had in the job's previous version, or gets a new one."""
    old = {_job_key(p): p.get("ID") for p in job_policies(existing)} if existing else {}
    for policy in job_policies(job):
        policy["ID"] = old.get(_job_key(policy)) or new_id()


def store_policies(table: dict, job: dict, index: int) -> None:
    """updateJobScalingPolicies: a new or changed policy gets the write's index; an unchanged one is left alone."""
    for policy in job_policies(job):
        target = policy.get("Target") or {}
        key = (target.get("Namespace"), target.get("Job"), target.get("Group"), target.get("Task"), policy.get("Type"))
        existing = table.get(key)
        if existing is not None and all(existing.get(f) == policy.get(f) for f in _COMPARED):
            continue
        policy["ID"] = existing["ID"] if existing is not None else policy["ID"]
        policy["CreateIndex"] = existing["CreateIndex"] if existing is not None else index
        policy["ModifyIndex"] = index
        table[key] = dict(policy)
