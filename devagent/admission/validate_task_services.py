"""A task's services against its ports (structs.go validateServices for tasks)."""

from __future__ import annotations

from .multierror import MultiError
from .validate_checks import requires_port
from .go_text import quote
from .structs_fields import block, items, text
from .validate_services import validate_service
from devagent.gostrconv import atoi


def network_port_labels(network: dict) -> set[str]:
    """NetworkResource.PortLabels: the labels of its reserved and dynamic ports."""
    return {text(port, "Label") for key in ("ReservedPorts", "DynamicPorts") for port in items(network, key)}


def task_service_errors(task: dict, group_networks: list) -> MultiError | None:
    """validateServices: each service valid, no connect, unique, and every referenced port label defined."""
    errors = MultiError()
    add = errors.errors.append
    referenced: dict[str, set[str]] = {}
    known: set[str] = set()
    for index, service in enumerate(items(task, "Services")):
        name, port_label, address_mode = text(service, "Name"), text(service, "PortLabel"), text(service, "AddressMode")
        problem = validate_service(service)
        if problem:
            add(f"service[{index}] {quote(name, ascii_only=True)} validation failed: {problem}")
        if address_mode == "alloc":
            add(f'service {quote(name)} cannot use address_mode="alloc", only services defined in a "group" '
                f'block can use this mode')
        if name + port_label in known:
            add(f"service {quote(name)} is duplicate")
        known.add(name + port_label)
        if port_label != "" and not (address_mode == "driver" and atoi(port_label)[1]):
            referenced.setdefault(port_label, set()).add(name)
        if block(service, "Connect") is not None:
            add(f'service {quote(name)} cannot have "connect" block, only services defined in a "group" block can')
        _check_port_errors(service, errors, referenced)

    labels: set[str] = set()
    if group_networks:
        labels |= network_port_labels(group_networks[0])
    for network in items(block(task, "Resources"), "Networks"):
        labels |= network_port_labels(network)
    for label in sorted(referenced):
        if label not in labels:
            names = ", ".join(sorted(referenced[label]))
            add(f"port label {quote(label)} referenced by services {names} does not exist")
    return errors.error_or_none()


def _check_port_errors(service: dict, errors: MultiError, referenced: dict[str, set[str]]) -> None:
    """The per-check part of validateServices: unique names, address modes and usable ports."""
    add = errors.errors.append
    name = text(service, "Name")
    known_checks: set[str] = set()
    for check in items(service, "Checks"):
        check_name = text(check, "Name")
        if check_name in known_checks:
            add(f"check {quote(check_name)} is duplicate")
        known_checks.add(check_name)
        address_mode = text(check, "AddressMode")
        if address_mode == "alloc":
            add(f'check {quote(name)} cannot use address_mode="alloc", only checks defined in a "group" service '
                f'block can use this mode')
        if not requires_port(check):
            continue
        port = text(check, "PortLabel") or text(service, "PortLabel")
        if port == "":
            add(f"check {quote(check_name)} is missing a port")
            continue
        if atoi(port)[1]:
            number = int(port)
            if address_mode == "driver":
                if number <= 0:
                    add(f"check {quote(check_name)} has invalid numeric port {number}")
                continue
            add(f'check {quote(check_name)} cannot use a numeric port {number} without setting address_mode="driver"')
            continue
        referenced.setdefault(port, set()).add(name)
