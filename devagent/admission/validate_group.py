"""TaskGroup.Validate and TaskGroup.Warnings (nomad/structs/structs.go), in Nomad's order."""

from __future__ import annotations

from .multierror import MultiError, append
from .go_text import quote
from .structs_fields import block, flag, items, number, text
from .validate_group_services import group_script_check_errors, group_service_errors
from .validate_networks import group_network_errors
from .validate_placement import affinity_errors, constraint_errors, spread_errors
from .validate_policies import (is_multiregion, scaling_errors, validate_disconnect, validate_ephemeral_disk,
                                validate_migrate, validate_reschedule, validate_restart, validate_update)
from .validate_task import service_warnings, task_warnings, validate_task
from .validate_volumes import group_volume_errors


def validate_group(group: dict, job: dict) -> MultiError | None:
    """TaskGroup.Validate (multierror.Append throughout, so nested policy errors are flattened in)."""
    errors = MultiError()
    job_type, name = text(job, "Type"), text(group, "Name")
    if name == "":
        errors.append("Missing task group name")
    elif "\0" in name:
        errors.append("Task group name contains null character")
    if number(group, "Count") < 0:
        errors.append("Task group count can't be negative")
    if not items(group, "Tasks"):
        errors.append("Missing tasks for task group")
    max_disconnect, stop_after = group.get("MaxClientDisconnect"), group.get("StopAfterClientDisconnect")
    if max_disconnect is not None and stop_after is not None:
        errors.append("Task group cannot be configured with both max_client_disconnect and "
                      "stop_after_client_disconnect")
    if max_disconnect is not None and max_disconnect < 0:
        errors.append("max_client_disconnect cannot be negative")
    disconnect = block(group, "Disconnect")
    if disconnect is not None:
        early = _disconnect_conflict(group, disconnect)
        if early:
            return append(errors, early)
        errors.append(validate_disconnect(disconnect, job_type))

    errors.append(*constraint_errors(items(group, "Constraints")))
    errors.append(*affinity_errors(group, job_type))
    restart = block(group, "RestartPolicy")
    if restart is not None:
        errors.append(validate_restart(restart))
    else:
        errors.append(f"Task Group {name} should have a restart policy")
    errors.append(*spread_errors(group, job_type))
    _reschedule_errors(group, job_type, errors)
    disk = block(group, "EphemeralDisk")
    if disk is not None:
        errors.append(validate_ephemeral_disk(disk))
    else:
        errors.append(f"Task Group {name} should have an ephemeral disk object")
    _update_and_migrate_errors(group, job_type, errors)
    _task_name_errors(group, errors)
    errors.append(*group_volume_errors(group, job_type))

    for label, problem in (("Task group network validation failed", group_network_errors(group)),
                           ("Task group service validation failed", group_service_errors(group)),
                           ("Task group service check validation failed", group_script_check_errors(group)),
                           ("Task group scaling policy validation failed", scaling_errors(group, job))):
        if problem:
            errors.append(f"{label}: {problem}")
    for task in items(group, "Tasks"):
        problem = validate_task(task, job_type, group)
        if problem:
            errors.append(f"Task {text(task, 'Name')} validation failed: {problem}")
    return errors.error_or_none()


def _disconnect_conflict(group: dict, disconnect: dict) -> str | None:
    """The disconnect settings that end TaskGroup.Validate at once when combined with their deprecated forms."""
    if group.get("MaxClientDisconnect") is not None and number(disconnect, "LostAfter") > 0:
        return "using both lost_after and max_client_disconnect is not allowed"
    if group.get("StopAfterClientDisconnect") is not None and disconnect.get("StopOnClientAfter") is not None:
        return "using both stop_after_client_disconnect and stop_on_client_after is not allowed"
    if flag(group, "PreventRescheduleOnLost") and disconnect.get("Replace") is not None:
        return "using both prevent_reschedule_on_lost and replace is not allowed"
    return None


def _reschedule_errors(group: dict, job_type: str, errors: MultiError) -> None:
    policy = block(group, "ReschedulePolicy")
    if job_type == "system":
        if policy is not None:
            errors.append("System jobs should not have a reschedule policy")
    elif policy is not None:
        errors.append(validate_reschedule(policy))
    else:
        errors.append(f"Task Group {text(group, 'Name')} should have a reschedule policy")


def _update_and_migrate_errors(group: dict, job_type: str, errors: MultiError) -> None:
    update = block(group, "Update")
    if update is not None:
        if job_type not in ("service", "system"):
            errors.append(f"Job type {quote(job_type)} does not allow update block")
        errors.append(validate_update(update))
    migrate = block(group, "Migrate")
    if job_type == "service":
        if migrate is not None:
            errors.append(validate_migrate(migrate))
    elif migrate is not None:
        errors.append(f"Job type {quote(job_type)} does not allow migrate block")


def _task_name_errors(group: dict, errors: MultiError) -> None:
    """Every task named, no name used twice, at most one leader."""
    first_index: dict[str, int] = {}
    leaders = 0
    for index, task in enumerate(items(group, "Tasks"), start=1):
        name = text(task, "Name")
        if name == "":
            errors.append(f"Task {index} missing name")
        elif name in first_index:
            errors.append(f"Task {index} redefines '{name}' from task {first_index[name]}")
        else:
            first_index[name] = index
        leaders += flag(task, "Leader")
    if leaders > 1:
        errors.append("Only one task may be marked as leader")


def group_warnings(group: dict, job: dict) -> MultiError | None:
    """TaskGroup.Warnings."""
    warnings = MultiError()
    add = warnings.errors.append
    update, count = block(group, "Update"), number(group, "Count")
    if update is not None:
        max_parallel = number(update, "MaxParallel")
        multiregion_exception = is_multiregion(job) and count == 0
        if count > 1 and max_parallel > count and not multiregion_exception:
            add(f"Update max parallel count is greater than task group count ({max_parallel} > {count}). "
                "A destructive change would result in the simultaneous replacement of all allocations.")
    if group.get("MaxClientDisconnect") is not None:
        add("MaxClientDisconnect will be deprecated favor of Disconnect.LostAfter")
    if group.get("StopAfterClientDisconnect") is not None:
        add("StopAfterClientDisconnect will be deprecated favor of Disconnect.StopOnClientAfter")
    if flag(group, "PreventRescheduleOnLost"):
        add("PreventRescheduleOnLost will be deprecated favor of Disconnect.Replace")
    networks = items(group, "Networks")
    if networks and number(networks[0], "MBits") > 0:
        add("mbits has been deprecated as of Nomad 0.12.0. Please remove mbits from the network block")
    for service in items(group, "Services"):
        for warning in service_warnings(service):
            add(f"Service {quote(text(service, 'Name'))}: {warning}")
    for task in items(group, "Tasks"):
        problem = task_warnings(task)
        if problem:
            add(f"Task {quote(text(task, 'Name'))} has warnings: {problem}")
    return warnings.error_or_none()
