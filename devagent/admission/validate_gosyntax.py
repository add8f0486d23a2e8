"""Syntax checks Nomad makes with Go libraries: regexp.Compile, go-version and semver constraints, ParseUint."""

from __future__ import annotations

import re

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

_UNSUPPORTED_GROUP = re.compile(r"\(\?(<?[=!]|P=|#|>)")
# Go syntax Python's re lacks, rewritten to an equivalent Python accepts before compiling.
_GO_ONLY = ((re.compile(r"\\[pP](\{[^}]*\}|[A-Za-z])"), "x"), (re.compile(r"\(\?<(?![=!])"), "(?P<"),
            (re.compile(r"\\[0-7]{2,3}"), "x"),
            (re.compile(r"\\x\{[0-9A-Fa-f]{1,6}\}"), "x"), (re.compile(r"\\z"), r"\\Z"),
            (re.compile(r"\(\?([imsU]+)\)"), ""))


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
    """Go's regexp.Compile error text for the usual mistakes, or None when Go (RE2) accepts it."""
    unsupported = _UNSUPPORTED_GROUP.search(pattern)
    if unsupported:
        return f"error parsing regexp: invalid or unsupported Perl syntax: `{unsupported.group(0)}`"
    for match in re.finditer(r"\\(.)([0-9]?)", pattern):
        backreference = match.group(1) in "123456789" and not match.group(2)
        if match.group(1) in "KCZXGRNoeklLuU" or backreference:
            return f"error parsing regexp: invalid escape sequence: `\\{match.group(1)}`"
    possessive, bad_count = _repeat_problems(pattern)
    if possessive:
        return f"error parsing regexp: invalid nested repetition operator: `{possessive}`"
    if bad_count:
        return f"error parsing regexp: invalid repeat count: `{bad_count}`"
    translated = re.sub(r"\\Q(.*?)(\\E|$)", lambda m: re.escape(m.group(1)), pattern)
    for go_only, replacement in _GO_ONLY:
        translated = go_only.sub(replacement, translated)
    try:
        re.compile(translated)
    except re.error as error:
        return _translate_regexp_error(pattern, error)
    return None


def _repeat_problems(pattern: str) -> tuple[str | None, str | None]:
    """Repetitions Go rejects and Python accepts: followed by '+' ("a*+", possessive in Python 3.11), or counted
    beyond 1000."""
    index, in_class = 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if pattern[index + 1:index + 2] == "]":
                index += 1
        elif char in "*+?" and pattern[index + 1:index + 2] == "+":
            return pattern[index:index + 2], None
        elif char == "{":
            repeat = re.match(r"\{(\d+)(?:,(\d*))?\}(\+?)", pattern[index:])
            if repeat and repeat.group(3):
                return repeat.group(0), None
            if repeat and max(int(repeat.group(1)), int(repeat.group(2) or 0)) > 1000:
                return None, repeat.group(0)
        index += 1
    return None, None


# Python's re error (by the start of its message) -> Go's regexp/syntax words, and the part of the
# pattern Go quotes, cut around the error's position.
_REGEXP_ERRORS = (
    ("missing )", "missing closing )", lambda pattern, at: pattern),
    ("unbalanced parenthesis", "unexpected )", lambda pattern, at: pattern),
    ("unterminated character set", "missing closing ]", lambda pattern, at: pattern[at:]),
    ("nothing to repeat", "missing argument to repetition operator", lambda pattern, at: pattern[at]),
    ("multiple repeat", "invalid nested repetition operator", lambda pattern, at: pattern[at - 1:at + 1]),
    ("bad escape", "invalid escape sequence", lambda pattern, at: pattern[at:at + 2]),
    ("bad character range", "invalid character class range", lambda pattern, at: pattern[at:at + 3]),
)


def _translate_regexp_error(pattern: str, error: re.error) -> str:
    for start, go_words, quoted in _REGEXP_ERRORS:
        if error.msg.startswith(start):
            return f"error parsing regexp: {go_words}: `{quoted(pattern, error.pos or 0)}`"
    return f"error parsing regexp: {error.msg}: `{pattern}`"


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
