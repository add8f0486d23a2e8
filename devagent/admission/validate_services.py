"""Service.Validate (services.go): name, address mode, on_update, provider-specific checks and connect."""

from __future__ import annotations

import re

from .multierror import MultiError
from .validate_checks import requires_port, validate_consul_check, validate_nomad_check
from .validate_connect import validate_connect
from .go_text import quote
from .structs_fields import block, flag, items, text

_ENV_VARIABLE = re.compile(r"\$\{[a-zA-Z0-9_\-.]+\}")
# Go's (?i:[a-z]) folds by its own table: ASCII letters plus the Kelvin sign and the long s (Python's re.I also
# matches dotless i and dotted I, which Go does not)
_LETTER = "a-zA-Z0-9\u212a\u017f"
_SERVICE_NAME = re.compile(rf"([{_LETTER}]|[{_LETTER}][{_LETTER}\-]{{0,61}}[{_LETTER}])\Z")
_NAME_RULE = ("Service name must be valid per RFC 1123 and can contain only alphanumeric characters or dashes "
              "and must be no longer than 63 characters")


def validate_service(service: dict) -> MultiError | None:
    """Service.Validate."""
    errors = MultiError()
    add = errors.errors.append
    name = text(service, "Name")
    if not _SERVICE_NAME.match(_ENV_VARIABLE.sub("ENV-VAR", name)):
        add(f"{_NAME_RULE}: {quote(name)}")
    address_mode = text(service, "AddressMode")
    if address_mode in ("host", "driver", "alloc"):
        if text(service, "Address") != "":
            add('Service address_mode must be "auto" if address is set')
    elif address_mode not in ("", "auto"):
        add(f'Service address_mode must be "auto", "host", or "driver"; not {quote(address_mode)}')
    on_update = text(service, "OnUpdate")
    if on_update not in ("", "ignore", "require_healthy", "ignore_warnings"):
        add(f'Service on_update must be "require_healthy", "ignore_warnings", or "ignore"; not {quote(on_update)}')
    provider = text(service, "Provider")
    if provider == "consul":
        _consul_service_errors(service, errors)
    elif provider == "nomad":
        _nomad_service_errors(service, errors)
    else:
        add(f'Service provider must be "consul", or "nomad"; not {quote(provider)}')
    identity = block(service, "Identity")
    if identity is not None and not items(identity, "Audience"):
        add("Service identity must provide at least one target aud value")
    return errors.error_or_none()


def _check_port_error(service: dict, check: dict) -> str | None:
    """Service.validateCheckPort."""
    if text(service, "PortLabel") == "" and text(check, "PortLabel") == "" and requires_port(check):
        return (f"Check {text(check, 'Name')} invalid: check requires a port but neither check nor service "
                f"{quote(text(service, 'Name'), ascii_only=True)} have a port")
    return None


def _consul_service_errors(service: dict, errors: MultiError) -> None:
    """Service.validateConsulService."""
    connect = block(service, "Connect")
    has_sidecar = block(connect, "SidecarService") is not None
    for check in items(service, "Checks"):
        port_problem = _check_port_error(service, check)
        if port_problem:
            errors.errors.append(port_problem)
            continue
        name = text(check, "Name")
        if text(check, "Type") == "tcp" and has_sidecar:
            errors.errors.append(f"Check {name} invalid: tcp checks are not valid for Connect enabled services")
            continue
        problem = validate_consul_check(check)
        if problem:
            errors.errors.append(f"Check {name} invalid: {problem}")
    if connect is not None:
        problem = validate_connect(connect)
        if problem:
            errors.errors.append(problem)
        if flag(connect, "Native") and text(service, "TaskName") == "":
            errors.errors.append(f"Service {text(service, 'Name')} is Connect Native and requires setting the task")


def _nomad_service_errors(service: dict, errors: MultiError) -> None:
    """Service.validateNomadService."""
    for check in items(service, "Checks"):
        port_problem = _check_port_error(service, check)
        if port_problem:
            errors.errors.append(port_problem)
            continue
        problem = validate_nomad_check(check)
        if problem:
            errors.errors.append(problem)
    if block(service, "Connect") is not None:
        errors.errors.append("Service with provider nomad cannot include Connect blocks")

