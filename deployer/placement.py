"""Placement failures (an evaluation's FailedTGAllocs) as sentences."""

from __future__ import annotations


def _nodes(count: int) -> str:
    return f"{count} node{'s' if count != 1 else ''}"


_ASKED = {"memory": ("MemoryMB", "MB"), "cpu": ("CPU", "MHz")}


def _asked(metric: dict, dimension: str) -> str:
    """What one allocation asks for in an exhausted dimension and how many were not placed (ResourcesExhausted)."""
    field, unit = _ASKED.get(dimension, ("", ""))
    per_task = metric.get("ResourcesExhausted") or {}
    total = sum((task or {}).get(field) or 0 for task in per_task.values()) if field else 0
    if not total:
        return ""
    unplaced = (metric.get("CoalescedFailures") or 0) + 1
    return f"; each allocation asks for {total // unplaced} {unit}, {unplaced} not placed"


def placement_sentence(group: str, metric: dict) -> str:
    """e.g. `group tax failed to place: missing drivers (1 node filtered)`."""
    reasons = []
    for constraint, count in sorted((metric.get("ConstraintFiltered") or {}).items()):
        reasons.append(f"{constraint} ({_nodes(count)} filtered)")
    for cls, count in sorted((metric.get("ClassFiltered") or {}).items()):
        reasons.append(f"node class {cls} ({_nodes(count)} filtered)")
    for dimension, count in sorted((metric.get("DimensionExhausted") or {}).items()):
        reasons.append(f"{dimension} exhausted ({_nodes(count)}{_asked(metric, dimension)})")
    for quota in metric.get("QuotaExhausted") or []:
        reasons.append(f"quota {quota} exhausted")
    if not reasons:
        evaluated = metric.get("NodesEvaluated", 0)
        reasons.append("no nodes were eligible" if not evaluated else
                       f"{_nodes(evaluated)} evaluated, none could take it")
    return f"group {group} failed to place: {'; '.join(reasons)}"


def placement_failures(evaluation: dict) -> list[str]:
    """One sentence per task group the evaluation could not place."""
    failed = evaluation.get("FailedTGAllocs") or {}
    return [placement_sentence(group, metric or {}) for group, metric in sorted(failed.items())]
