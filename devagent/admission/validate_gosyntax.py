"""Syntax checks Nomad makes with Go libraries: regexp.Compile, go-version and semver constraints, ParseUint."""

from __future__ import annotations

import re

from .go_regexp import compile_error
from .go_text import quote
from devagent.gostrconv import INT64_MAX, parse_uint

_VERSION = (r"v?([0-9]+(\.[0-9]+)*?)"
            r"(-([0-9]+[0-9A-Za-z\-~]*(\.[0-9A-Za-z\-~]+)*)|(-?([A-Za-z\-~]+[0-9A-Za-z\-~]*(\.[0-9A-Za-z\-~]+)*)))?"
            r"(\+([0-9A-Za-z\-~]+(\.[0-9A-Za-z\-~]+)*))?")
_SEMVER = (r"v?([0-9]+(\.[0-9]+)*?)"
           r"(-([0-9]+[0-9A-Za-z\-~]*(\.[0-9A-Za-z\-~]+)*)|(-([A-Za-z\-~]+[0-9A-Za-z\-~]*(\.[0-9A-Za-z\-~]+)*)))?"
           r"(\+([0-9A-Za-z\-~]+(\.[0-9A-Za-z\-~]+)*))?")
# Go's \s is ASCII whitespace only.
_SPACE = r"[\t\n\f\r ]*"
_VERSION_CONSTRAINT = re.compile(rf"^{_SPACE}(~>|>=|<=|!=|=|>|<|){_SPACE}({_VERSION}){_SPACE}\Z")
_SEMVER_CONSTRAINT = re.compile(rf"^{_SPACE}(>=|<=|!=|=|>|<|){_SPACE}({_SEMVER}){_SPACE}\Z")


def version_constraint_error(text: str) -> str | None:
    """go-version's NewConstraint error for a comma-separated constraint list, or None."""
    return _constraint_error(text, _VERSION_CONSTRAINT)


def semver_constraint_error(text: str) -> str | None:
    """Nomad's semver.NewConstraint error, or None."""
    return _constraint_error(text, _SEMVER_CONSTRAINT)


def _constraint_error(text: str, pattern: re.Pattern) -> str | None:
    for single in text.split(","):
        match = pattern.match(single)
        if not match:
            return f"Malformed constraint: {single}"
        for segment in match.group(3).split("."):  # go-version's newVersion: strconv.ParseInt(segment, 10, 64)
            if int(segment) > INT64_MAX:
                return f"Error parsing version: strconv.ParseInt: parsing {quote(segment)}: value out of range"
    return None


def regexp_error(pattern: str) -> str | None:
    """Go's regexp.Compile error text, or None when Go accepts the pattern."""
    return compile_error(pattern)


def parse_uint_error(text: str, bits: int) -> str | None:
    """The reason strconv.ParseUint(text, 10, bits) fails ("invalid syntax", "value out of range"), or None."""
    if parse_uint(text, bits) is not None:
        return None
    return "value out of range" if text and text.isascii() and text.isdigit() else "invalid syntax"


def parse_uint_message(text: str, bits: int) -> str | None:
    """strconv.ParseUint's full error text, or None."""
    reason = parse_uint_error(text, bits)
    if reason is None:
        return None
    return f"strconv.ParseUint: parsing {quote(text)}: {reason}"


def url_parse(raw: str) -> tuple[bool, bool]:
    """Go's url.Parse on a check path: (parses, is absolute, i.e. has a scheme)."""
    body, _, fragment = raw.partition("#")
    if not _escapes_valid(fragment):
        return False, False
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in body):
        return False, False
    if body == "*":
        return True, False
    scheme, rest = _url_scheme(body)
    if scheme is None:
        return False, False
    rest = rest.split("?", 1)[0]
    if not rest.startswith("/"):
        if scheme:
            return True, True
        if ":" in rest.split("/", 1)[0]:
            return False, False
    if (scheme or not rest.startswith("///")) and rest.startswith("//"):
        authority, slash, rest = rest[2:].partition("/")
        rest = slash + rest
        host = authority.rpartition("@")[2]
        if not _host_valid(host):
            return False, False
    return _escapes_valid(rest), bool(scheme)


def _url_scheme(raw: str) -> tuple[str | None, str]:
    """url.getScheme: ("", raw) when there is none, (None, raw) for a leading colon."""
    for index, char in enumerate(raw):
        if char.isascii() and char.isalpha():
            continue
        if char.isascii() and (char.isdigit() or char in "+-."):
            if index == 0:
                return "", raw
            continue
        if char == ":":
            return (None, raw) if index == 0 else (raw[:index].lower(), raw[index + 1:])
        return "", raw
    return "", raw


def _host_valid(host: str) -> bool:
    if host.startswith("["):
        end = host.find("]")
        if end < 0:
            return False
        port = host[end + 1:]
        return port == "" or (port.startswith(":") and port[1:].isdigit() or port == ":")
    if ":" in host:
        port = host[host.rindex(":") + 1:]
        if port and not (port.isascii() and port.isdigit()):
            return False
    return _escapes_valid(host)


def _escapes_valid(text: str) -> bool:
    """Every % starts a two-hex-digit escape."""
    return re.search(r"%(?![0-9A-Fa-f]{2})", text) is None
