"""Nomad's validateJobUpdate: the transitions Register refuses between a stored job and its new version."""

from __future__ import annotations


def job_update_error(old: dict | None, new: dict) -> str | None:
    """The error text Job.Register answers for a forbidden change, or None."""
    if old is None:
        return "job can't be submitted with 'Dispatched' set" if new.get("Dispatched") else None
    if old.get("Type") != new.get("Type"):
        return f'cannot update job from type "{old.get("Type")}" to "{new.get("Type")}"'
    old_periodic, new_periodic = old.get("Periodic") is not None, new.get("Periodic") is not None
    if old_periodic and not new_periodic:
        return "cannot update periodic job to being non-periodic"
    if new_periodic and not old_periodic:
        return "cannot update non-periodic job to being periodic"
    old_param, new_param = _parameterized(old), _parameterized(new)
    if old_param and not new_param:
        return "cannot update parameterized job to being non-parameterized"
    if new_param and not old_param:
        return "cannot update non-parameterized job to being parameterized"
    if bool(old.get("Dispatched")) != bool(new.get("Dispatched")):
        return "field 'Dispatched' is read-only"
    return None


def _parameterized(job: dict) -> bool:
    return job.get("ParameterizedJob") is not None and not job.get("Dispatched")
