"""Nomad v1.8.4's Job.Validate and Job.Warnings on a structs-shaped job dict (after the mutators ran)."""

from __future__ import annotations

from .multierror import MultiError
from .validate_job import job_warnings, validate_job_struct


def validate_job(job: dict) -> tuple[MultiError | None, list[str]]:
    """Return (Job.Validate()'s multi-error or None, the texts of Job.Warnings()'s entries)."""
    warnings = job_warnings(job)
    return validate_job_struct(job), [str(warning) for warning in (warnings.errors if warnings else [])]
