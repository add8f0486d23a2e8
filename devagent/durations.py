"""Go duration strings <-> nanoseconds, as Nomad and Consul write them."""

from __future__ import annotations

import re

_UNITS = {"ns": 1, "us": 1_000, "µs": 1_000, "ms": 1_000_000, "s": 1_000_000_000,
          "m": 60_000_000_000, "h": 3_600_000_000_000}
_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")

SECOND = 1_000_000_000


class DurationError(ValueError):
    """A string that is not a Go duration."""


def parse_go_duration(text: str) -> int:
    """Return the nanoseconds of a Go duration such as "1m30s" or "500ms"."""
    text = text.strip()
    if text in ("0", ""):
        return 0
    sign = -1 if text.startswith("-") else 1
    body = text.lstrip("+-")
    total, pos = 0.0, 0
    for match in _PART.finditer(body):
        if match.start() != pos:
            break
        total += float(match.group(1)) * _UNITS[match.group(2)]
        pos = match.end()
    if pos != len(body) or pos == 0:
        raise DurationError(f"time: invalid duration {text!r}")
    return sign * int(total)


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
