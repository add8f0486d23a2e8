"""Periodic and parameterized job blocks (structs.go PeriodicConfig, ParameterizedJobConfig; hashicorp/cronexpr)."""

from __future__ import annotations

import re
import zoneinfo

from .multierror import MultiError
from .go_text import plain_list, quote
from .structs_fields import flag, items, text

_ALIASES = (("@yearly", "0 0 0 1 1 * *"), ("@annually", "0 0 0 1 1 * *"), ("@monthly", "0 0 0 1 * * *"),
            ("@weekly", "0 0 0 * * 0 *"), ("@daily", "0 0 0 * * * *"), ("@hourly", "0 0 * * * * *"))
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|january|february|march|april|june|july|august|september|" \
          "october|november|december"
_DAYS = "sun|mon|tue|wed|thu|fri|sat|sunday|monday|tuesday|wednesday|thursday|friday|saturday"
# (name, value pattern, largest value) per cron field
_SECOND = ("second", r"0?[0-9]|[1-5][0-9]", 59)
_MINUTE = ("minute", r"0?[0-9]|[1-5][0-9]", 59)
_HOUR = ("hour", r"0?[0-9]|1[0-9]|2[0-3]", 23)
_DOM = ("day-of-month", r"0?[1-9]|[12][0-9]|3[01]", 31)
_MONTH = ("month", rf"0?[1-9]|1[012]|{_MONTHS}", 12)
_DOW = ("day-of-week", rf"0?[0-7]|{_DAYS}", 6)
_YEAR = ("year", r"19[789][0-9]|20[0-9]{2}", 2099)


def cron_error(spec: str) -> str | None:
    """cronexpr.Parse's error text, or None when the spec parses."""
    for alias, expansion in _ALIASES:
        spec = spec.replace(alias, expansion)
    fields = spec.split()
    if len(fields) < 5:
        return "missing field(s)"
    fields = fields[:7]
    layout = [_MINUTE, _HOUR, _DOM, _MONTH, _DOW]
    if len(fields) == 7:
        layout = [_SECOND] + layout + [_YEAR]
    elif len(fields) == 6:
        layout = layout + [_YEAR]
    for field, descriptor in zip(fields, layout):
        problem = _field_error(field, descriptor)
        if problem:
            return problem
    return None


def _field_error(field: str, descriptor: tuple[str, str, int]) -> str | None:
    """cronexpr's field handlers: genericFieldParse classifies every entry first (an interval error stops it),
    then the handler reads them in order; outside the day fields a `*` ends the field unread."""
    name, value, largest = descriptor
    entries = [entry for entry in field.split(",") if entry]
    if not entries:
        return f"{name} field: missing directive"
    kinds = []
    for entry in entries:
        lowered = entry.lower()
        if re.fullmatch(r"\*|\?", lowered):
            kinds.append("all")
            continue
        if re.fullmatch(rf"({value})|({value})-({value})", lowered):
            kinds.append("value")
            continue
        interval = (re.fullmatch(r"\*/(\d+)", lowered) or re.fullmatch(rf"(?:{value})/(\d+)", lowered)
                    or re.fullmatch(rf"(?:{value})-(?:{value})/(\d+)", lowered))
        if interval:
            step = _cron_number(interval.group(1))
            if step < 1 or step > largest:
                return f"invalid interval {lowered}"
            kinds.append("value")
            continue
        kinds.append("none")
    day_field = name in ("day-of-month", "day-of-week")
    for entry, kind in zip(entries, kinds):
        if kind == "all" and not day_field:
            return None
        if kind == "none" and not _special_entry(name, value, entry.lower()):
            return f"syntax error in {name} field: '{entry}'"
    return None


def _cron_number(token: str) -> int:
    """cronexpr's atoi: only 0-59 (with an optional leading zero) and 1970-2099 are numbers; others are 0."""
    if re.fullmatch(r"0?[0-9]|[1-5][0-9]|19[7-9][0-9]|20[0-9][0-9]", token):
        return int(token)
    return 0


def _special_entry(name: str, value: str, entry: str) -> bool:
    """Day-of-month L, LW and 15W; day-of-week 5L and 5#3."""
    if name == "day-of-month":
        return entry in ("l", "lw") or re.fullmatch(rf"({value})w", entry) is not None
    if name == "day-of-week":
        return re.fullmatch(rf"({value})l", entry) is not None or re.fullmatch(rf"({value})#([1-5])", entry) is not None
    return False


def _time_zone_error(name: str) -> str | None:
    """time.LoadLocation's error text, or None."""
    if name in ("UTC", "Local"):
        return None
    if ".." in name or name.startswith("/") or name.startswith("\\"):  # only a leading slash or backslash
        return "time: invalid location name"
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return f"unknown time zone {name}"
    return None


def validate_periodic(periodic: dict) -> MultiError | None:
    """PeriodicConfig.Validate (only an enabled block)."""
    if not flag(periodic, "Enabled"):
        return None
    errors = MultiError()
    add = errors.errors.append
    spec, specs = text(periodic, "Spec"), items(periodic, "Specs")
    if spec != "" and specs:
        add("Only cron or crons may be used")
    if spec == "" and not specs:
        add("Must specify a spec")
    zone = text(periodic, "TimeZone")
    if zone != "":
        problem = _time_zone_error(zone)
        if problem:
            add(f"Invalid time zone {quote(zone)}: {problem}")
    spec_type = text(periodic, "SpecType")
    if spec_type == "cron":
        for each in ([spec] if spec else []) + [str(item) for item in specs]:
            problem = cron_error(each)
            if problem:
                add(f"Invalid cron spec {quote(each)}: {problem}")
    elif spec_type != "_internal_test":
        add(f"Unknown periodic specification type {quote(spec_type)}")
    return errors.error_or_none()


def validate_parameterized(parameterized: dict) -> MultiError | None:
    """ParameterizedJobConfig.Validate."""
    errors = MultiError()
    payload = text(parameterized, "Payload")
    if payload not in ("optional", "required", "forbidden"):
        errors.errors.append(f"Unknown payload requirement: {quote(payload)}")
    optional = set(items(parameterized, "MetaOptional"))
    # Go lists the intersection of two sets in random order; sorted here.
    both = sorted(optional.intersection(items(parameterized, "MetaRequired")))
    if both:
        errors.errors.append("Required and optional meta keys should be disjoint. Following keys exist in both: "
                             f"{plain_list(both)}")
    return errors.error_or_none()
