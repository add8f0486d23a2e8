"""Constraint, Affinity and Spread validation (nomad/structs/structs.go), with Nomad's texts."""

from __future__ import annotations

from .multierror import MultiError
from .go_text import quote
from .structs_fields import items, number, text
from .validate_gosyntax import (parse_uint_message, regexp_error, semver_constraint_error,
                                version_constraint_error)

DISTINCT_HOSTS = "distinct_hosts"
DISTINCT_PROPERTY = "distinct_property"
_SET_CONTAINS = ("set_contains", "set_contains_all", "set_contains_any")
_COMPARISONS = ("=", "==", "is", "!=", "not", "<", "<=", ">", ">=")


_PATTERN_OPERANDS = ("regexp", "version", "semver")


def _pattern_error(operand: str, rtarget: str, noun: str) -> str | None:
    """Why a regexp/version/semver RTarget does not compile, worded as Constraint and Affinity Validate do."""
    if operand == "regexp":
        problem = regexp_error(rtarget)
        return f"Regular expression failed to compile: {problem}" if problem else None
    if operand == "version":
        problem = version_constraint_error(rtarget)
        return f"Version {noun} is invalid: {problem}" if problem else None
    problem = semver_constraint_error(rtarget)
    return f"Semver {noun} is invalid: {problem}" if problem else None


def validate_constraint(constraint: dict) -> MultiError | None:
    """Constraint.Validate."""
    errors = MultiError()
    operand, ltarget, rtarget = text(constraint, "Operand"), text(constraint, "LTarget"), text(constraint, "RTarget")
    if operand == "":
        errors.errors.append("Missing constraint operand")
    requires_ltarget = True
    if operand == DISTINCT_HOSTS:
        requires_ltarget = False
    elif operand in _SET_CONTAINS:
        if rtarget == "":
            errors.errors.append("Set contains constraint requires an RTarget")
    elif operand in _PATTERN_OPERANDS:
        errors.append(_pattern_error(operand, rtarget, "constraint"))
    elif operand == DISTINCT_PROPERTY:
        if rtarget != "":
            problem = parse_uint_message(rtarget, 64)
            if problem:
                errors.errors.append(f"Failed to convert RTarget {quote(rtarget)} to uint64: {problem}")
            elif int(rtarget) < 1:
                errors.errors.append("Distinct Property must have an allowed count of 1 or greater: "
                                     f"{int(rtarget)} < 1")
    elif operand in ("is_set", "is_not_set"):
        if rtarget != "":
            errors.errors.append(f"Operator {quote(operand)} does not support an RTarget")
    elif operand in _COMPARISONS:
        if rtarget == "":
            errors.errors.append(f"Operator {quote(operand)} requires an RTarget")
    else:
        errors.errors.append(f"Unknown constraint type {quote(operand)}")
    if requires_ltarget and ltarget == "":
        errors.errors.append("No LTarget provided but is required by constraint")
    return errors.error_or_none()


def validate_affinity(affinity: dict) -> MultiError | None:
    """Affinity.Validate."""
    errors = MultiError()
    operand, rtarget = text(affinity, "Operand"), text(affinity, "RTarget")
    if operand == "":
        errors.errors.append("Missing affinity operand")
    if operand in _SET_CONTAINS:
        if rtarget == "":
            errors.errors.append("Set contains operators require an RTarget")
    elif operand in _PATTERN_OPERANDS:
        errors.append(_pattern_error(operand, rtarget, "affinity"))
    elif operand in _COMPARISONS:
        if rtarget == "":
            errors.errors.append(f"Operator {quote(operand)} requires an RTarget")
    else:
        errors.errors.append(f"Unknown affinity operator {quote(operand)}")
    if text(affinity, "LTarget") == "":
        errors.errors.append("No LTarget provided but is required")
    weight = number(affinity, "Weight")
    if weight == 0:
        errors.errors.append("Affinity weight cannot be zero")
    if weight > 100 or weight < -100:
        errors.errors.append("Affinity weight must be within the range [-100,100]")
    return errors.error_or_none()


def validate_spread(spread: dict) -> MultiError | None:
    """Spread.Validate."""
    errors = MultiError()
    if text(spread, "Attribute") == "":
        errors.errors.append("Missing spread attribute")
    weight = number(spread, "Weight")
    if weight <= 0 or weight > 100:
        errors.errors.append("Spread block must have a positive weight from 0 to 100")
    seen: set[str] = set()
    total = 0
    for target in items(spread, "SpreadTarget"):
        value = text(target, "Value")
        if value in seen:
            errors.errors.append(f"Spread target value {quote(value)} already defined")
        seen.add(value)
        percent = number(target, "Percent")
        if percent > 100:
            errors.errors.append(f"Spread target percentage for value {quote(value)} must be between 0 and 100")
        total += percent
    if total > 100:
        errors.errors.append(f"Sum of spread target percentages must not be greater than 100%; got {total}%")
    return errors.error_or_none()


def constraint_errors(constraints) -> list[str]:
    """"Constraint N validation failed: ..." for each invalid constraint."""
    found = []
    for index, constraint in enumerate(constraints or [], start=1):
        problem = validate_constraint(constraint)
        if problem:
            found.append(f"Constraint {index} validation failed: {problem}")
    return found


def affinity_errors(block: dict, job_type: str) -> list[str]:
    """The affinity checks a job, group and task share (system jobs may have none)."""
    return _placement_errors(items(block, "Affinities"), job_type, "Affinity", "an affinity", validate_affinity)


def spread_errors(block: dict, job_type: str) -> list[str]:
    """The spread checks a job and a group share (system jobs may have none)."""
    return _placement_errors(items(block, "Spreads"), job_type, "Spread", "a spread", validate_spread)


def _placement_errors(entries: list, job_type: str, title: str, article: str, validate) -> list[str]:
    """'<Title> N validation failed: ...' per invalid entry; any entry at all is refused for system jobs."""
    if job_type == "system":
        return [f"System jobs may not have {article} block"] if entries else []
    found = []
    for index, entry in enumerate(entries, start=1):
        problem = validate(entry)
        if problem:
            found.append(f"{title} {index} validation failed: {problem}")
    return found
