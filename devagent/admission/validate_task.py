"""Task.Validate and Task.Warnings (nomad/structs/structs.go), in Nomad's order."""

from __future__ import annotations

import re

from .multierror import MultiError
from .go_text import duration, plain_list, quote
from .structs_fields import block, flag, items, mapping, number, text
from .validate_identity import DEFAULT_IDENTITY, identity_warnings, validate_identity
from .validate_lifecycle import validate_lifecycle
from .validate_placement import DISTINCT_HOSTS, DISTINCT_PROPERTY, affinity_errors, validate_constraint
from .validate_resources import validate_log_config, validate_resources
from .validate_task_services import task_service_errors
from .validate_templates import (template_warnings, validate_artifact, validate_dispatch_payload, validate_template,
                                 validate_vault)
from .validate_volumes import csi_plugin_errors, validate_volume_mount

_ACTION_NAME = re.compile(r"[a-zA-Z0-9-]{1,128}\Z")
_CONNECT_PROXY_PREFIX = "connect-proxy:"


def validate_task(task: dict, job_type: str, group: dict) -> MultiError | None:
    """Task.Validate."""
    errors = MultiError()
    add = errors.errors.append
    name = text(task, "Name")
    if name == "":
        add("Missing task name")
    if "/" in name or "\\" in name:
        add("Task name cannot include slashes")
    elif "\0" in name:
        add("Task name cannot include null characters")
    if text(task, "Driver") == "":
        add("Missing task driver")
    _timing_errors(task, job_type, group, add)

    resources = block(task, "Resources")
    if resources is None:
        add("Missing task resources")
    else:
        problem = validate_resources(resources)
        if problem:
            add(problem)
    log_config = block(task, "LogConfig")
    if log_config is None:
        add("Missing Log Config")
    else:
        problem = validate_log_config(log_config, block(group, "EphemeralDisk"))
        if problem:
            add(problem)

    for index, constraint in enumerate(items(task, "Constraints"), start=1):
        problem = validate_constraint(constraint)
        if problem:
            add(f"Constraint {index} validation failed: {problem}")
        operand = text(constraint, "Operand")
        if operand in (DISTINCT_HOSTS, DISTINCT_PROPERTY):
            add(f"Constraint {index} has disallowed Operand at task level: {operand}")
    errors.errors.extend(affinity_errors(task, job_type))

    problem = task_service_errors(task, items(group, "Networks"))
    if problem:
        add(problem)
    _file_errors(task, add)
    _action_errors(task, add)

    payload = block(task, "DispatchPayload")
    if payload is not None:
        problem = validate_dispatch_payload(payload)
        if problem:
            add(f"Dispatch Payload validation failed: {problem}")
    problem = validate_lifecycle(block(task, "Lifecycle"))
    if problem:
        add(f"Lifecycle validation failed: {problem}")
    _connect_proxy_errors(task, group, add)
    _volume_mount_errors(task, group, add)
    errors.errors.extend(csi_plugin_errors(block(task, "CSIPluginConfig")))
    for identity in items(task, "Identities"):
        if text(identity, "Name") == DEFAULT_IDENTITY:
            add("Duplicate default identities found")
        problem = validate_identity(identity)
        if problem:
            add(f"Identity {quote(text(identity, 'Name'))} is invalid: {problem}")
    return errors.error_or_none()


def _timing_errors(task: dict, job_type: str, group: dict, add) -> None:
    """KillTimeout against the group's progress deadline, and ShutdownDelay."""
    kill_timeout = number(task, "KillTimeout")
    if kill_timeout < 0:
        add("KillTimeout must be a positive value")
    else:
        update = block(group, "Update")
        progress_deadline = number(update, "ProgressDeadline")
        if job_type == "service" and update is not None and 0 < progress_deadline < kill_timeout:
            add(f"KillTimout ({duration(kill_timeout)}) longer than the group's ProgressDeadline "
                f"({duration(progress_deadline)})")
    if number(task, "ShutdownDelay") < 0:
        add("ShutdownDelay must be a positive value")


def _file_errors(task: dict, add) -> None:
    """Artifacts, vault and templates (with unique destinations)."""
    for index, artifact in enumerate(items(task, "Artifacts"), start=1):
        problem = validate_artifact(artifact)
        if problem:
            add(f"Artifact {index} validation failed: {problem}")
    vault = block(task, "Vault")
    if vault is not None:
        problem = validate_vault(vault)
        if problem:
            add(f"Vault validation failed: {problem}")
    destinations: dict[str, int] = {}
    for index, template in enumerate(items(task, "Templates"), start=1):
        problem = validate_template(template)
        if problem:
            add(f"Template {index} validation failed: {problem}")
        destination = text(template, "DestPath")
        if destination in destinations:
            add(f"Template {index} has same destination as {destinations[destination]}")
        else:
            destinations[destination] = index


def _action_errors(task: dict, add) -> None:
    """Action.Validate for each action, and each name defined once (reported once)."""
    reported: dict[str, bool] = {}
    for action in items(task, "Actions"):
        if action is None:
            continue
        name = text(action, "Name")
        problems = MultiError()
        if text(action, "Command") == "":
            problems.errors.append("command cannot be empty")
        if not _ACTION_NAME.match(name):
            problems.errors.append(f"invalid name '{name}'")
        if problems.errors:
            add(f"Action {name} validation failed: {problems}")
        if name in reported and not reported[name]:
            add(f"Action {name} defined multiple times")
            reported[name] = True
            continue
        reported[name] = False


def _connect_proxy_errors(task: dict, group: dict, add) -> None:
    """A connect-proxy task has no services, is not leader, and proxies a Connect service of its group."""
    kind = text(task, "Kind")
    if not (kind.startswith(_CONNECT_PROXY_PREFIX) and len(kind) > len(_CONNECT_PROXY_PREFIX)):
        return
    if items(task, "Services"):
        add("Connect proxy task must not have a service block")
    if flag(task, "Leader"):
        add("Connect proxy task must not have leader set")
    problem = connect_proxy_service_error(kind.split(":", 1)[1], items(group, "Services"))
    if problem:
        add(problem)


def connect_proxy_service_error(service_name: str, group_services: list) -> str | None:
    """ValidateConnectProxyService: the proxied service must be one of the group's sidecar services."""
    names = []
    for service in group_services:
        if block(block(service, "Connect"), "SidecarService") is None:
            continue
        if text(service, "Name") == service_name:
            return None
        names.append(text(service, "Name"))
    if not names:
        return f"No Connect services in task group with Connect proxy ({quote(service_name)})"
    return (f"Connect proxy service name ({quote(service_name)}) not found in Connect services from task group: "
            f"{plain_list(names)}")


def _volume_mount_errors(task: dict, group: dict, add) -> None:
    volumes = mapping(group, "Volumes")
    for index, mount in enumerate(items(task, "VolumeMounts")):
        volume = text(mount, "Volume")
        if volume not in volumes:
            add(f"Volume Mount ({index}) references undefined volume {volume}")
        problem = validate_volume_mount(mount)
        if problem:
            add(f'Volume Mount ({index}) is invalid: "{problem}"')


def task_warnings(task: dict) -> MultiError | None:
    """Task.Warnings: deprecated IOPS and task networks, template, service and identity warnings."""
    warnings = MultiError()
    add = warnings.errors.append
    resources = block(task, "Resources")
    if resources is not None and number(resources, "IOPS") != 0:
        add("IOPS has been deprecated as of Nomad 0.9.0. Please remove IOPS from resource block.")
    if resources is not None and items(resources, "Networks"):
        add("task network resources have been deprecated as of Nomad 0.12.0. Please configure networking via "
            "group network block.")
    for index, template in enumerate(items(task, "Templates")):
        for warning in template_warnings(template):
            add(f"Template[{index}] {warning}")
    for service in items(task, "Services"):
        for warning in service_warnings(service):
            add(f"Service {quote(text(service, 'Name'))}: {warning}")
    for identity in items(task, "Identities"):
        problem = identity_warnings(identity)
        if problem:
            # Nomad prefixes a multi-error (each entry) and appends it whole.
            add(MultiError([f"Identity[{text(identity, 'Name')}] {entry}" for entry in problem.errors]))
    return warnings.error_or_none()


def service_warnings(service: dict) -> list[str]:
    """Service.Warnings: its identity's warnings."""
    identity = block(service, "Identity")
    if identity is None:
        return []
    problem = identity_warnings(identity)
    return list(problem.errors) if problem else []

