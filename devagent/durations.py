"""Go duration strings <-> nanoseconds, as Nomad and Consul write them."""

from __future__ import annotations

import re

_UNIT_NS = {"ns": 1, "us": 1_000, "µs": 1_000, "μs": 1_000, "ms": 1_000_000, "s": 1_000_000_000,
            "m": 60_000_000_000, "h": 3_600_000_000_000}
_NUMBER = re.compile(r"\d+\.?\d*|\.\d+")
_UNIT = re.compile(r"[^\d.]*")

SECOND = 1_000_000_000  # time.Duration units, in nanoseconds
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE


class DurationError(ValueError):
    """A string that is not a Go duration; the message is Go's time.ParseDuration text."""


def parse_go_duration(text) -> int:
    """Nanoseconds of a Go duration ("1m30s", "500ms"), read exactly as time.ParseDuration reads it."""
    if not isinstance(text, str):
        raise DurationError(f"duration must be a string like \"10s\", got {text!r}")
    quoted = _go_quote(text)
    body, sign = text, 1
    if body[:1] in ("+", "-"):
        sign, body = (-1 if body[0] == "-" else 1), body[1:]
    if body == "0":
        return 0
    if not body:
        raise DurationError(f"time: invalid duration {quoted}")
    total, pos = 0, 0
    while pos < len(body):
        number = _NUMBER.match(body, pos)
        if not number:
            raise DurationError(f"time: invalid duration {quoted}")
        pos = number.end()
        unit = _UNIT.match(body, pos).group(0)
        if not unit:
            raise DurationError(f"time: missing unit in duration {quoted}")
        if unit not in _UNIT_NS:
            raise DurationError(f"time: unknown unit {_go_quote(unit)} in duration {quoted}")
        total += _scaled(number.group(0), _UNIT_NS[unit])
        pos += len(unit)
    return sign * total


def _go_quote(text: str) -> str:
    """strconv.Quote for the plain strings durations are."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _scaled(number: str, unit_ns: int) -> int:
    """A decimal string times a unit, without float rounding."""
    whole, _, frac = number.partition(".")
    value = int(whole or "0") * unit_ns
    if frac:
        value += int(frac) * unit_ns // (10 ** len(frac))
    return value


def format_go_duration(ns: int) -> str:
    """Render nanoseconds like Go's time.Duration.String(): "5m0s", "1.5s", "500ms"."""
    if ns == 0:
        return "0s"
    sign = "-" if ns < 0 else ""
    ns = abs(ns)
    if ns < SECOND:
        for unit, size in (("ms", 1_000_000), ("µs", 1_000), ("ns", 1)):
            if ns >= size:
                return sign + _trim(ns / size) + unit
    hours, rest = divmod(ns, 3_600_000_000_000)
    minutes, rest = divmod(rest, 60_000_000_000)
    seconds = _trim(rest / SECOND) + "s"
    if hours:
        return f"{sign}{hours}h{minutes}m{seconds}"
    if minutes:
        return f"{sign}{minutes}m{seconds}"
    return sign + seconds


def _trim(value: float) -> str:
    """Format a number without trailing zeros, as Go does."""
    text = f"{value:.9f}".rstrip("0").rstrip(".")
    return text or "0"


def consul_interval(ns: int) -> str:
    """A Consul check interval/timeout string for nanoseconds (millisecond precision)."""
    return f"{max(ns // 1_000_000, 1)}ms"
