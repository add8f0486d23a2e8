"""Nomad's feasibility checks on devagent's one node: constraints against its attributes, volumes."""

from __future__ import annotations

import re

_VERSION = re.compile(r"^v?(\d+(?:\.\d+)*)(?:-([0-9A-Za-z.\-]+))?(?:\+[0-9A-Za-z.\-]+)?$")
_CONSTRAINT_PART = re.compile(r"^\s*(>=|<=|!=|~>|=|>|<)?\s*(\S+)\s*$")


def constraint_text(constraint: dict) -> str:
    """structs.Constraint.String(): the key Nomad counts filtered nodes under."""
    return f"{constraint.get('LTarget', '')} {constraint.get('Operand', '')} {constraint.get('RTarget', '')}"


def unmet_reason(job: dict, group: dict, node: dict) -> str | None:
    """The first reason Nomad's stack would filter this node for group: job, group and task constraints, volumes."""
    group_constraints = list(group.get("Constraints") or [])
    for task in group.get("Tasks") or []:
        group_constraints += task.get("Constraints") or []
    for constraint in list(job.get("Constraints") or []) + group_constraints:
        if not constraint_met(constraint, node):
            return constraint_text(constraint)
    for volume in (group.get("Volumes") or {}).values():
        if volume.get("Type") == "host":
            return "missing compatible host volumes"
        if volume.get("Type") == "csi":
            return f"missing CSI Volume {volume.get('Source') or ''}"
    return None


def unmet_constraints(job: dict, group: dict, node: dict) -> list[str]:
    """Every job, group and task constraint this node fails (for messages and tests)."""
    constraints = list(job.get("Constraints") or []) + list(group.get("Constraints") or [])
    for task in group.get("Tasks") or []:
        constraints += task.get("Constraints") or []
    return [constraint_text(c) for c in constraints if not constraint_met(c, node)]


def resolve_target(target: str, node: dict) -> tuple[str | None, bool]:
    """resolveTarget: a literal, or ${node.*}, ${attr.*}, ${meta.*} of the node."""
    if not target.startswith("${"):
        return target, True
    fixed = {"${node.unique.id}": node.get("ID"), "${node.datacenter}": node.get("Datacenter"),
             "${node.unique.name}": node.get("Name"), "${node.class}": node.get("NodeClass"),
             "${node.pool}": node.get("NodePool")}
    if target in fixed:
        return fixed[target], True
    for prefix, table in (("${attr.", node.get("Attributes") or {}), ("${meta.", node.get("Meta") or {})):
        if target.startswith(prefix):
            key = target[len(prefix):].removesuffix("}")
            return table.get(key), key in table
    return None, False


def constraint_met(constraint: dict, node: dict) -> bool:
    """checkConstraint for one constraint on the node."""
    operand = constraint.get("Operand") or ""
    if operand in ("distinct_hosts", "distinct_property"):
        return True
    left, left_found = resolve_target(constraint.get("LTarget") or "", node)
    right, right_found = resolve_target(constraint.get("RTarget") or "", node)
    both = left_found and right_found
    if operand in ("=", "==", "is"):
        return both and left == right
    if operand in ("!=", "not"):
        return left != right
    if operand in ("<", "<=", ">", ">="):
        return both and _ordered(operand, left, right)
    if operand == "is_set":
        return left_found
    if operand == "is_not_set":
        return not left_found
    if operand in ("version", "semver"):
        return both and version_matches(left, right)
    if operand == "regexp":
        return both and re.search(right, left) is not None
    if operand in ("set_contains", "set_contains_all"):
        return both and _set(right) <= _set(left)
    if operand == "set_contains_any":
        return both and bool(_set(right) & _set(left))
    return False


def _set(text: str) -> set[str]:
    return {item.strip() for item in text.split(",")}


def _ordered(operand: str, left: str, right: str):
    for convert in (int, float, str):
        try:
            a, b = convert(left), convert(right)
        except ValueError:
            continue
        return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[operand]
    return False


def parse_version(text: str) -> tuple[tuple[int, ...], tuple] | None:
    """A version as (numbers, pre-release parts); None when it is not one."""
    match = _VERSION.match(text.strip())
    if not match:
        return None
    numbers = tuple(int(n) for n in match.group(1).split("."))
    numbers += (0,) * (3 - len(numbers))
    pre = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in match.group(2).split(".")) if match.group(2) else ()
    return numbers, pre


def _key(version: tuple) -> tuple:
    numbers, pre = version
    return numbers, (1,) if not pre else (0, pre)


def version_matches(version_text: str, constraints_text: str) -> bool:
    """A version against comma-separated constraints (">= 1.8.0", "~> 1.2", "< 2, >= 1")."""
    version = parse_version(version_text)
    if version is None:
        return False
    for part in constraints_text.split(","):
        match = _CONSTRAINT_PART.match(part)
        wanted = parse_version(match.group(2)) if match else None
        if wanted is None:
            return False
        op = match.group(1) or "="
        a, b = _key(version), _key(wanted)
        if op == "~>":
            digits = len(match.group(2).lstrip("v").split("-")[0].split("."))
            prefix = wanted[0][:max(digits - 1, 1)]
            ok = a >= b and version[0][:len(prefix)] == prefix
        else:
            ok = {"=": a == b, "!=": a != b, ">": a > b, "<": a < b, ">=": a >= b, "<=": a <= b}[op]
        if not ok:
            return False
    return True
