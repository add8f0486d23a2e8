"""Nomad's plan diff, summarized for people."""

from __future__ import annotations

from deployer.placement import placement_sentence

MAX_LINES = 12
VERBS = {"Added": "+", "Deleted": "-", "Edited": "~"}


def diff_type(plan: dict) -> str:
    """None, Added, Deleted or Edited (a missing diff counts as a change)."""
    return (plan.get("Diff") or {}).get("Type") or "Edited"


def has_changes(plan: dict) -> bool:
    """Whether registering the planned job would change anything."""
    return diff_type(plan) != "None"


def headline(plan: dict) -> str:
    """One phrase: `no changes`, `create`, `destroy` or `update` with Nomad's update counts."""
    kind = diff_type(plan)
    if kind == "None":
        return "no changes"
    if kind == "Added":
        return "create"
    if kind == "Deleted":
        return "destroy"
    counts = {}
    for group in (plan.get("Diff") or {}).get("TaskGroups") or []:
        for what, count in (group.get("Updates") or {}).items():
            counts[what] = counts.get(what, 0) + count
    detail = ", ".join(f"{count} {what}" for what, count in sorted(counts.items()) if count)
    return f"update ({detail})" if detail else "update"


def changed_fields(diff: dict, prefix: str = "") -> list[str]:
    """Lines like `~ group order / task order / Env[COLOR]: "red" => "blue"`, leaves only."""
    lines = []
    for fld in diff.get("Fields") or []:
        if fld.get("Type") in VERBS:
            lines.append(f"{VERBS[fld['Type']]} {prefix}{fld['Name']}: {_show(fld.get('Old'))} => {_show(fld.get('New'))}")
    for obj in diff.get("Objects") or []:
        if obj.get("Type") in VERBS:
            lines += changed_fields(obj, f"{prefix}{obj.get('Name')} / ")
    for group in diff.get("TaskGroups") or []:
        if group.get("Type") in VERBS:
            lines += changed_fields(group, f"{prefix}group {group.get('Name')} / ")
    for task in diff.get("Tasks") or []:
        if task.get("Type") in VERBS:
            lines += changed_fields(task, f"{prefix}task {task.get('Name')} / ")
    return lines


def _show(value) -> str:
    return '""' if value in (None, "") else f'"{value}"'


def summarize_plan(job_id: str, plan: dict) -> list[str]:
    """The plan of one job as a headline and (for updates) its changed fields."""
    lines = [f"{job_id}: {headline(plan)}"]
    if diff_type(plan) == "Edited":
        fields = changed_fields(plan.get("Diff") or {})
        lines += [f"  {line}" for line in fields[:MAX_LINES]]
        if len(fields) > MAX_LINES:
            lines.append(f"  ... and {len(fields) - MAX_LINES} more")
    for group, metric in sorted((plan.get("FailedTGAllocs") or {}).items()):
        lines.append(f"  warning: {placement_sentence(group, metric or {})}")
    return lines
