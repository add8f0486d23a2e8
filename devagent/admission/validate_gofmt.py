"""Go's fmt verbs (%q, %+q, %v of slices and durations) and zero-value field access for structs-shaped dicts."""

from __future__ import annotations

import unicodedata

from devagent.durations import format_go_duration

_ESCAPES = {"\a": r"\a", "\b": r"\b", "\f": r"\f", "\n": r"\n", "\r": r"\r", "\t": r"\t", "\v": r"\v"}


def quote(text: str, ascii_only: bool = False) -> str:
    """Go's %q (strconv.Quote), or %+q (QuoteToASCII) with ascii_only."""
    out = ['"']
    for char in str(text):
        code = ord(char)
        if char in ('"', "\\"):
            out.append("\\" + char)
        elif _printable(char) and (code < 0x80 or not ascii_only):
            out.append(char)
        elif char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append("\\ufffd")
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


def _printable(char: str) -> bool:
    """unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space."""
    return char == " " or unicodedata.category(char)[0] in "LMNPS"


def quote_list(items) -> str:
    """Go's %q of a []string: ["a" "b"]."""
    return "[" + " ".join(quote(item) for item in items) + "]"


def plain_list(items) -> str:
    """Go's %v / %s of a []string: [a b]."""
    return "[" + " ".join(str(item) for item in items) + "]"


def duration(ns) -> str:
    """Go's %v of a time.Duration: "5m0s"."""
    return format_go_duration(int(ns or 0))


def go_bool(value) -> str:
    """Go's %v of a bool."""
    return "true" if value else "false"


def text(obj, key: str) -> str:
    """A string field, "" when absent or null."""
    value = (obj or {}).get(key)
    return "" if value is None else str(value)


def number(obj, key: str) -> int:
    """An integer (or duration) field, 0 when absent or null."""
    value = (obj or {}).get(key)
    return 0 if value is None else int(value)


def flag(obj, key: str) -> bool:
    """A bool field, False when absent or null."""
    return bool((obj or {}).get(key))


def items(obj, key: str) -> list:
    """A list field, [] when absent or null."""
    return list((obj or {}).get(key) or [])


def mapping(obj, key: str) -> dict:
    """A map field, {} when absent or null."""
    return dict((obj or {}).get(key) or {})


def block(obj, key: str):
    """A pointer field: the dict, or None when absent or null."""
    return (obj or {}).get(key)
