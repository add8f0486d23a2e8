"""A group's services in context (structs.go TaskGroup.validateServices, validateScriptChecksInGroupServices)."""

from __future__ import annotations

from .multierror import MultiError
from .go_text import quote
from .structs_fields import items, text
from .validate_services import validate_service


def group_service_errors(group: dict) -> MultiError | None:
    """TaskGroup.validateServices: task-level ownership, group services, uniqueness and a single provider."""
    errors = MultiError()
    add = errors.errors.append
    task_names: set[str] = set()
    seen: set[tuple[str, str, str]] = set()
    duplicates: set[tuple[str, str, str]] = set()
    providers: set[str] = set()

    def track(identity: tuple[str, str, str], provider: str) -> None:
        if identity in seen:
            duplicates.add(identity)
        seen.add(identity)
        providers.add(provider)

    for task in items(group, "Tasks"):
        task_name = text(task, "Name")
        task_names.add(task_name)
        for service in items(task, "Services"):
            service_name = text(service, "Name")
            owner = text(service, "TaskName")
            if owner != "" and owner != task_name:
                add(f"Service {service_name} is invalid: may only specify task the service belongs to, "
                    f"got {quote(owner)}")
            for check in items(service, "Checks"):
                check_owner = text(check, "TaskName")
                if check_owner != "" and check_owner != task_name:
                    add(f"Check {text(check, 'Name')} is invalid: may only specify task the check belongs to, "
                        f"got {quote(check_owner)}")
            track((service_name, task_name, text(service, "PortLabel")), text(service, "Provider"))

    for index, service in enumerate(items(group, "Services")):
        service_name = text(service, "Name")
        track((service_name, "group", text(service, "PortLabel")), text(service, "Provider"))
        problem = validate_service(service)
        if problem:
            add(f"Service[{index}] {service_name} validation failed: {problem}")
            continue
        if text(service, "AddressMode") == "driver":
            add(f'service {quote(service_name)} cannot use address_mode="driver", only services defined in a '
                f'"task" block can use this mode')
        for check in items(service, "Checks"):
            check_task = text(check, "TaskName")
            if check_task == "":
                continue
            if text(check, "AddressMode") == "driver":
                add(f'Check {quote(service_name)} invalid: cannot use address_mode="driver", only checks defined '
                    f'in a "task" service block can use this mode')
            if check_task not in task_names:
                add(f"Check {text(check, 'Name')} invalid: refers to non-existent task {check_task}")

    if duplicates:
        described = sorted(f"{task}->{name}" + (f":{port}" if port else "") for name, task, port in duplicates)
        add(f"Services are not unique: [{' '.join(described)}]")
    if len(providers) > 1:
        add("Multiple service providers used: task group services must use the same provider")
    return errors.error_or_none()


def group_script_check_errors(group: dict) -> MultiError | None:
    """TaskGroup.validateScriptChecksInGroupServices: a group script check must name its task."""
    errors = MultiError()
    for service in items(group, "Services"):
        if text(service, "TaskName") != "":
            continue
        for check in items(service, "Checks"):
            if text(check, "Type") == "script" and text(check, "TaskName") == "":
                errors.errors.append(f"Service [{text(group, 'Name')}]->{text(service, 'Name')} or Check "
                                     f"{text(check, 'Name')} must specify task parameter")
    return errors.error_or_none()
