"""Go's text for values in Nomad's messages: %q and %+q quoting, %v of slices and bools, time.Duration.String()."""

from __future__ import annotations

import unicodedata

from devagent.durations import format_go_duration

_ESCAPES = {"\a": r"\a", "\b": r"\b", "\f": r"\f", "\n": r"\n", "\r": r"\r", "\t": r"\t", "\v": r"\v"}


def quote(text: str, ascii_only: bool = False) -> str:
    """fmt's %q (strconv.Quote), or %+q (strconv.QuoteToASCII) with ascii_only."""
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
    """fmt's %q of a []string: ["a" "b"]."""
    return "[" + " ".join(quote(item) for item in items) + "]"


def plain_list(items) -> str:
    """fmt's %v / %s of a []string: [a b]."""
    return "[" + " ".join(str(item) for item in items) + "]"


def duration(ns) -> str:
    """time.Duration.String(): "0s", "500ms", "1m30s", "1h0m0s"."""
    return format_go_duration(int(ns or 0))


def go_bool(value) -> str:
    """fmt's %v of a bool."""
    return "true" if value else "false"


def go_lower(text: str) -> str:
    """strings.ToLower: each rune's simple lower case (no final sigma, no two-rune results)."""
    return "".join(_simple(char, char.lower(), "i" if char == "\u0130" else char) for char in text)


def go_upper(text: str) -> str:
    """strings.ToUpper: each rune's simple upper case (ß and ligatures stay as they are)."""
    return "".join(_simple(char, char.upper(), char) for char in text)


def _simple(char: str, mapped: str, fallback: str) -> str:
    """Python's full case mapping where it is one rune (then it is the simple one), else Go's simple mapping."""
    return mapped if len(mapped) == 1 else fallback
