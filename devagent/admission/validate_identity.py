"""Workload identities (nomad/structs/workload_id.go WorkloadIdentity.Validate and Warnings)."""

from __future__ import annotations

import re

from .multierror import MultiError
from .go_text import go_bool, quote
from .structs_fields import flag, items, number, text

DEFAULT_IDENTITY = "default"
_VALID_NAME = "^[a-zA-Z0-9-_]{1,128}$"
_NAME = re.compile(r"[a-zA-Z0-9\-_]{1,128}\Z")


def validate_identity(identity: dict) -> MultiError | None:
    """WorkloadIdentity.Validate."""
    errors = MultiError()
    add = errors.errors.append
    name = text(identity, "Name")
    if not _NAME.match(name):
        add(f"invalid name {quote(name)}. Must match regex {_VALID_NAME}")
    for index, audience in enumerate(items(identity, "Audience"), start=1):
        if audience == "":
            add(f"an empty string is an invalid audience ({index})")
    change_mode, change_signal = text(identity, "ChangeMode"), text(identity, "ChangeSignal")
    if change_mode in ("", "noop", "restart"):
        if change_signal != "":
            add(f'can only use change_signal={quote(change_signal)} with change_mode="signal"')
    elif change_mode == "signal":
        if change_signal == "":
            add('change_signal must be specified when using change_mode="signal"')
    else:
        add(f"invalid change_mode: {change_mode}")
    ttl = number(identity, "TTL")
    if ttl > 0 and name in ("", DEFAULT_IDENTITY):
        add("ttl for default identity not yet supported")
    if ttl < 0:
        add("ttl must be >= 0")
    return errors.error_or_none()


def identity_warnings(identity: dict) -> MultiError | None:
    """WorkloadIdentity.Warnings."""
    errors = MultiError()
    add = errors.errors.append
    audiences = items(identity, "Audience")
    if not audiences:
        add("identities without an audience are insecure")
    elif len(audiences) > 1:
        add("while multiple audiences is allowed, it is more secure to use 1 audience per identity")
    name = text(identity, "Name")
    if name not in ("", DEFAULT_IDENTITY) and number(identity, "TTL") == 0:
        add("identities without an expiration are insecure")
    if flag(identity, "Env") and text(identity, "ChangeMode") != "restart":
        add(f'using env={go_bool(True)} without change_mode="restart" may result in task not getting updated identity')
    return errors.error_or_none()
