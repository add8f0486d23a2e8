"""Job.Validate and Job.Warnings (nomad/structs/structs.go), in Nomad's order."""

from __future__ import annotations

from .multierror import MultiError
from .go_text import quote
from .structs_fields import block, flag, items, number, text
from .validate_group import group_warnings, validate_group
from .validate_periodic import validate_parameterized, validate_periodic
from .validate_placement import affinity_errors, constraint_errors, spread_errors
from .validate_policies import is_multiregion

JOB_TYPES = ("_core", "service", "batch", "system", "sysbatch")
_MAX_UI_DESCRIPTION = 1000


def validate_job_struct(job: dict) -> MultiError | None:
    """Job.Validate: job-level fields, then each group's basics, each group, then periodic/parameterized/multiregion."""
    errors = MultiError()
    add = errors.errors.append
    job_type = text(job, "Type")
    _identity_errors(job, add)
    if job_type == "":
        add("Missing job type")
    elif job_type not in JOB_TYPES:
        add(f"Invalid job type: {quote(job_type)}")
    datacenters = items(job, "Datacenters")
    if not datacenters and not is_multiregion(job):
        add("Missing job datacenters")
    else:
        for datacenter in datacenters:
            if datacenter == "":
                add("Job datacenter must be non-empty string")
    groups = items(job, "TaskGroups")
    if not groups:
        add("Missing job task groups")
    errors.errors.extend(constraint_errors(items(job, "Constraints")))
    errors.errors.extend(affinity_errors(job, job_type))
    errors.errors.extend(spread_errors(job, job_type))
    ui = block(job, "UI")
    if ui is not None:
        length = len(text(ui, "Description").encode())
        if length > _MAX_UI_DESCRIPTION:
            add(f"UI description must be under 1000 characters, currently {length}")
    _group_basics_errors(job, groups, add)
    for group in groups:
        problem = validate_group(group, job)
        if problem:
            add(f"Task group {text(group, 'Name')} validation failed: {problem}")
    _scheduling_mode_errors(job, add)
    return errors.error_or_none()


def _identity_errors(job: dict, add) -> None:
    """Region, ID, name and namespace."""
    job_id, name = text(job, "ID"), text(job, "Name")
    if text(job, "Region") == "" and block(job, "Multiregion") is None:
        add("Missing job region")
    if job_id == "":
        add("Missing job ID")
    elif " " in job_id:
        add("Job ID contains a space")
    elif "\0" in job_id:
        add("Job ID contains a null character")
    if name == "":
        add("Missing job name")
    elif "\0" in name:
        add("Job Name contains a null character")
    if text(job, "Namespace") == "":
        add("Job must be in a namespace")


def _group_basics_errors(job: dict, groups: list, add) -> None:
    """Names, shutdown delay, client-disconnect settings and system counts of each group."""
    job_type = text(job, "Type")
    first_index: dict[str, int] = {}
    for index, group in enumerate(groups, start=1):
        name = text(group, "Name")
        if name == "":
            add(f"Job task group {index} missing name")
        elif name in first_index:
            add(f"Job task group {index} redefines '{name}' from group {first_index[name]}")
        else:
            first_index[name] = index
        shutdown_delay = group.get("ShutdownDelay")
        if shutdown_delay is not None and shutdown_delay < 0:
            add("ShutdownDelay must be a positive value")
        stop_after = group.get("StopAfterClientDisconnect")
        if stop_after is not None and stop_after != 0:
            if stop_after > 0 and job_type not in ("batch", "service"):
                add("stop_after_client_disconnect can only be set in batch and service jobs")
            elif stop_after < 0:
                add("stop_after_client_disconnect must be a positive value")
        count = number(group, "Count")
        if job_type == "system" and count > 1:
            add(f"Job task group {name} has count {count}. Count cannot exceed 1 with system scheduler")
        reschedule = block(group, "ReschedulePolicy")
        if (group.get("MaxClientDisconnect") is not None and number(reschedule, "Attempts") > 0
                and flag(group, "PreventRescheduleOnLost")):
            add("max_client_disconnect and prevent_reschedule_on_lost cannot be enabled when rechedule.attempts > 0")


def _scheduling_mode_errors(job: dict, add) -> None:
    """Periodic and parameterized jobs are batch or sysbatch; multiregion needs Nomad Enterprise."""
    job_type = text(job, "Type")
    periodic = block(job, "Periodic")
    if periodic is not None and flag(periodic, "Enabled"):
        if job_type not in ("batch", "sysbatch"):
            add('Periodic can only be used with "batch" or "sysbatch" scheduler')
        problem = validate_periodic(periodic)
        if problem:
            add(problem)
    parameterized = block(job, "ParameterizedJob")
    if parameterized is not None and not flag(job, "Dispatched"):
        if job_type not in ("batch", "sysbatch"):
            add('Parameterized job can only be used with "batch" or "sysbatch" scheduler')
        problem = validate_parameterized(parameterized)
        if problem:
            add(problem)
    if is_multiregion(job):
        add("Multiregion jobs are unlicensed.")


def job_warnings(job: dict) -> MultiError | None:
    """Job.Warnings: each group's warnings, all-or-none auto_promote, and the deprecated cron field."""
    warnings = MultiError()
    add = warnings.errors.append
    has_auto_promote, all_auto_promote = False, True
    for group in items(job, "TaskGroups"):
        problem = group_warnings(group, job)
        if problem:
            add(f"Group {quote(text(group, 'Name'))} has warnings: {problem}")
        update = block(group, "Update")
        if update is not None:
            auto_promote = flag(update, "AutoPromote")
            has_auto_promote = has_auto_promote or auto_promote
            all_auto_promote = all_auto_promote and (number(update, "Canary") == 0 or auto_promote)
    if has_auto_promote and not all_auto_promote:
        add("auto_promote must be true for all groups to enable automatic promotion")
    if text(block(job, "Periodic"), "Spec") != "":
        add("cron is deprecated and may be removed in a future release. Use crons instead")
    return warnings.error_or_none()
