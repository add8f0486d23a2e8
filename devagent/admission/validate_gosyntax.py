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
        if not _authority_valid(authority):
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


def _authority_valid(authority: str) -> bool:
    """url.parseAuthority: user information (its characters and escapes) before the last '@', then the host."""
    userinfo, at, host = authority.rpartition("@")
    if at:
        if any(not (char.isascii() and char.isalnum()) and char not in _USERINFO_PUNCTUATION for char in userinfo):
            return False
        if not all(_unescapes(part, "user") for part in userinfo.split(":", 1)):
            return False
    return _host_valid(host)


def _host_valid(host: str) -> bool:
    """url.parseHost: a bracketed address (a zone only after %25) with an optional port, or a name and port."""
    if host.startswith("["):
        end = host.rfind("]")
        if end < 0 or not _optional_port(host[end + 1:]):
            return False
        zone = host.find("%25", 0, end)
        if zone >= 0:
            return (_unescapes(host[:zone], "host") and _unescapes(host[zone:end], "zone")
                    and _unescapes(host[end:], "host"))
        return _unescapes(host, "host")
    colon = host.rfind(":")
    if colon >= 0 and not _optional_port(host[colon:]):
        return False
    return _unescapes(host, "host")


def _optional_port(port: str) -> bool:
    """url.validOptionalPort: nothing, or ':' and ASCII digits."""
    return port == "" or (port[0] == ":" and all("0" <= char <= "9" for char in port[1:]))


_USERINFO_PUNCTUATION = "-._:~!$&'()*+,;=%@"
# Besides letters and digits, what a host may hold unescaped (url.shouldEscape with encodeHost).
_HOST_SAFE = "!$&'()*+,;=:[]<>\"-_.~"


def _unescapes(text: str, mode: str) -> bool:
    """url.unescape in mode "user", "host" or "zone": every % starts a hex pair; in a host an escaped ASCII byte
    other than %25 is an error (in a zone, one that must be escaped), and so is a character that must be escaped."""
    index = 0
    while index < len(text):
        char = text[index]
        if char == "%":
            pair = text[index + 1:index + 3]
            if len(pair) < 2 or any(c not in "0123456789abcdefABCDEF" for c in pair):
                return False
            if mode == "host" and int(pair[0], 16) < 8 and pair != "25":
                return False
            decoded = chr(int(pair, 16))
            if mode == "zone" and pair != "25" and decoded != " " and _host_escapes(decoded):
                return False
            index += 3
            continue
        if mode != "user" and _host_escapes(char):
            return False
        index += 1
    return True


def _host_escapes(char: str) -> bool:
    """url.shouldEscape(c, encodeHost) for an ASCII character (others are left to the host's own rules)."""
    return char.isascii() and not char.isalnum() and char not in _HOST_SAFE


def _escapes_valid(text: str) -> bool:
    """Every % starts a two-hex-digit escape."""
    return re.search(r"%(?![0-9A-Fa-f]{2})", text) is None
