"""Service check validation (nomad/structs/services.go ServiceCheck.validate*, structs.go CheckRestart)."""

from __future__ import annotations

from devagent.durations import SECOND

from .multierror import MultiError
from .go_text import duration, go_lower, go_upper, quote
from .structs_fields import block, flag, number, text
from .validate_gosyntax import url_parse

_MIN_INTERVAL = _MIN_TIMEOUT = SECOND
_CONSUL_TYPES = ("grpc", "tcp", "http", "script")
_NOMAD_TYPES = ("tcp", "http")
_PASS_FAIL_TYPES = ("tcp", "http", "grpc")
_HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT", "OPTIONS", "TRACE")


def requires_port(check: dict) -> bool:
    """ServiceCheck.RequiresPort: grpc, http and tcp checks (case-sensitive, as in Nomad)."""
    return text(check, "Type") in ("grpc", "http", "tcp")


def validate_check_restart(check_restart) -> MultiError | None:
    """CheckRestart.Validate."""
    if check_restart is None:
        return None
    errors = MultiError()
    if number(check_restart, "Limit") < 0:
        errors.errors.append(f"limit must be greater than or equal to 0 but found {number(check_restart, 'Limit')}")
    if number(check_restart, "Grace") < 0:
        errors.errors.append("grace period must be greater than or equal to 0 but found "
                             f"{number(check_restart, 'Grace')}")
    return errors.error_or_none()


def _validate_common(check: dict, allowed: tuple[str, ...]):
    """ServiceCheck.validateCommon: the first problem, or None."""
    check_type = go_lower(text(check, "Type"))
    if check_type not in allowed:
        return f"invalid check type ({quote(check_type)}), must be one of {', '.join(allowed)}"
    if check_type == "http":
        path = text(check, "Path")
        if path == "":
            return "http type must have http path"
        parses, absolute = url_parse(path)
        if not parses:
            return "http type must have valid http path"
        if absolute:
            return "http type must have relative http path"
    elif check_type == "script" and text(check, "Command") == "":
        return "script type must have a valid script path"
    interval, timeout = number(check, "Interval"), number(check, "Timeout")
    minimum = duration(_MIN_INTERVAL)
    if interval == 0:
        return f"missing required value interval. Interval cannot be less than {minimum}"
    if interval < _MIN_INTERVAL:
        return f"interval ({duration(interval)}) cannot be lower than {minimum}"
    if timeout == 0:
        return f"missing required value timeout. Timeout cannot be less than {minimum}"
    if timeout < _MIN_TIMEOUT:
        return f"timeout ({duration(timeout)}) is lower than required minimum timeout {minimum}"
    initial_status = text(check, "InitialStatus")
    if initial_status not in ("", "passing", "warning", "critical"):
        return (f"invalid initial check state ({initial_status}), must be one of "
                f'"passing", "warning", "critical" or empty')
    address_mode = text(check, "AddressMode")
    if address_mode == "auto":
        return f'invalid address_mode {quote(address_mode)} - auto only valid for services'
    if address_mode not in ("", "host", "driver", "alloc"):
        return f"invalid address_mode {quote(address_mode)}"
    on_update = text(check, "OnUpdate")
    if on_update not in ("", "ignore", "require_healthy", "ignore_warnings"):
        return f'on_update must be "require_healthy", "ignore_warnings", or "ignore"; got {quote(on_update)}'
    check_restart = block(check, "CheckRestart")
    if check_restart is not None:
        if on_update == "ignore":
            return f"on_update value {quote(on_update)} is not compatible with check_restart"
        if not flag(check_restart, "IgnoreWarnings") and on_update == "ignore_warnings":
            return (f"on_update value {quote(on_update)} not supported with check_restart ignore_warnings "
                    f'value "false"')
    return validate_check_restart(check_restart)


def validate_consul_check(check: dict):
    """ServiceCheck.validateConsul: the first problem, or None."""
    problem = _validate_common(check, _CONSUL_TYPES)
    if problem:
        return problem
    check_type = text(check, "Type")
    if flag(check, "Expose") and go_lower(check_type) not in ("grpc", "http"):
        return "expose may only be set on HTTP or gRPC checks"
    for field, label in (("SuccessBeforePassing", "success_before_passing"),
                         ("FailuresBeforeCritical", "failures_before_critical"),
                         ("FailuresBeforeWarning", "failures_before_warning")):
        value = number(check, field)
        if value < 0:
            return f"{label} must be non-negative"
        if value > 0 and check_type not in _PASS_FAIL_TYPES:
            return f"{label} not supported for check of type {quote(check_type)}"
    if len(text(check, "Notes")) > 255:
        return "notes must not be longer than 255 characters"
    return None


def validate_nomad_check(check: dict):
    """ServiceCheck.validateNomad: the first problem, or None."""
    problem = _validate_common(check, _NOMAD_TYPES)
    if problem:
        return problem
    if flag(check, "Expose"):
        return "expose may only be set for Consul service checks"
    if text(check, "OnUpdate") == "ignore_warnings":
        return "on_update may only be set to ignore_warnings for Consul service checks"
    if flag(block(check, "CheckRestart"), "IgnoreWarnings"):
        return "ignore_warnings on check_restart only supported for Consul service checks"
    if text(check, "AddressMode") == "driver":
        return "address_mode = driver may only be set for Consul service checks"
    method = text(check, "Method")
    if text(check, "Type") == "http" and method != "" and go_upper(method) not in _HTTP_METHODS:
        return f"method type {quote(method)} not supported in Nomad http check"
    for field, label in (("SuccessBeforePassing", "success_before_passing"),
                         ("FailuresBeforeCritical", "failures_before_critical"),
                         ("FailuresBeforeWarning", "failures_before_warning")):
        if number(check, field) != 0:
            return f"{label} may only be set for Consul service checks"
    if text(check, "TLSServerName") != "":
        return "tls_server_name may only be set for Consul service checks"
    if flag(check, "TLSSkipVerify"):
        return "tls_skip_verify may only be set for Consul service checks"
    return None
