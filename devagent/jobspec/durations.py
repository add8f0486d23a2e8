"""Go-style durations ("1h30m", "500ms") <-> integer nanoseconds."""

import re

_UNIT_NS = {
    "ns": 1,
    "us": 1_000,
    "µs": 1_000,
    "μs": 1_000,
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "m": 60 * 1_000_000_000,
    "h": 3600 * 1_000_000_000,
}
_PART = re.compile(r"(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)")


def parse_duration(text):
    """Parse a Go duration string (as time.ParseDuration does) into nanoseconds."""
    if not isinstance(text, str):
        raise ValueError(f"duration must be a string like \"10s\", got {text!r}")
    body = text.strip()
    sign = 1
    if body[:1] in "+-" and body:
        sign = -1 if body[0] == "-" else 1
        body = body[1:]
    if body == "0":
        return 0
    if not body:
        raise ValueError(f"invalid duration {text!r}")
    total = 0
    pos = 0
    while pos < len(body):
        match = _PART.match(body, pos)
        if not match:
            if re.match(r"\d", body[pos:]):
                raise ValueError(f"missing unit in duration {text!r}")
            raise ValueError(f"invalid duration {text!r}")
        number, unit = match.groups()
        total += _scaled(number, _UNIT_NS[unit])
        pos = match.end()
    return sign * total


def _scaled(number, unit_ns):
    """Multiply a decimal string by a unit without float rounding."""
    whole, _, frac = number.partition(".")
    value = int(whole or "0") * unit_ns
    if frac:
        value += int(frac) * unit_ns // (10 ** len(frac))
    return value


def format_duration(ns):
    """Format nanoseconds as Go's time.Duration.String() does ("1m30s", "500ms", "0s")."""
    if ns == 0:
        return "0s"
    sign = "-" if ns < 0 else ""
    ns = abs(ns)
    if ns < 1_000:
        return f"{sign}{ns}ns"
    if ns < 1_000_000:
        return f"{sign}{_trim(ns / 1_000)}µs"
    if ns < 1_000_000_000:
        return f"{sign}{_trim(ns / 1_000_000)}ms"
    hours, rest = divmod(ns, 3600 * 1_000_000_000)
    minutes, rest = divmod(rest, 60 * 1_000_000_000)
    seconds = _trim(rest / 1_000_000_000)
    out = ""
    if hours:
        out += f"{hours}h"
    if hours or minutes:
        out += f"{minutes}m"
    return f"{sign}{out}{seconds}s"


def _trim(value):
    """Render a float without trailing zeros (1.5 -> "1.5", 2.0 -> "2")."""
    text = f"{value:.9f}".rstrip("0").rstrip(".")
    return text or "0"
