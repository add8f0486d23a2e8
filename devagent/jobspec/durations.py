"""Go-style durations ("1h30m", "500ms") -> integer nanoseconds, as time.ParseDuration reads them."""

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


def parse_duration(text):
    """Parse a Go duration string (as time.ParseDuration does) into nanoseconds; ValueError in Go's words."""
    if not isinstance(text, str):
        raise ValueError(f"duration must be a string like \"10s\", got {text!r}")
    quoted = _go_quote(text)
    body = text
    sign = 1
    if body[:1] in ("+", "-"):
        sign = -1 if body[0] == "-" else 1
        body = body[1:]
    if body == "0":
        return 0
    if not body:
        raise ValueError(f"time: invalid duration {quoted}")
    total = 0
    pos = 0
    while pos < len(body):
        number = re.match(r"\d+\.?\d*|\.\d+", body[pos:])
        if not number:
            raise ValueError(f"time: invalid duration {quoted}")
        pos += number.end()
        unit = re.match(r"[^\d.]*", body[pos:]).group(0)
        if not unit:
            raise ValueError(f"time: missing unit in duration {quoted}")
        if unit not in _UNIT_NS:
            raise ValueError(f"time: unknown unit {_go_quote(unit)} in duration {quoted}")
        total += _scaled(number.group(0), _UNIT_NS[unit])
        pos += len(unit)
    return sign * total


def _go_quote(text):
    """strconv.Quote for the plain strings durations are."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _scaled(number, unit_ns):
    """Multiply a decimal string by a unit without float rounding."""
    whole, _, frac = number.partition(".")
    value = int(whole or "0") * unit_ns
    if frac:
        value += int(frac) * unit_ns // (10 ** len(frac))
    return value
