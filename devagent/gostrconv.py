"""Go's strconv integer parsing: ASCII digits only, an optional sign, results bounded by the bit size."""

from __future__ import annotations

INT64_MIN, INT64_MAX = -(1 << 63), (1 << 63) - 1


def atoi(text: str) -> tuple[int, bool]:
    """strconv.Atoi: (value, ok). A syntax error gives (0, False); out of range, the int64 bound and False."""
    digits = text[1:] if text[:1] in ("+", "-") else text
    if not digits or not digits.isascii() or not digits.isdigit():
        return 0, False
    value = int(text)
    if value > INT64_MAX:
        return INT64_MAX, False
    if value < INT64_MIN:
        return INT64_MIN, False
    return value, True


def parse_uint(text: str, bits: int) -> int | None:
    """strconv.ParseUint(text, 10, bits): the value, or None (no sign, no '_', ASCII digits, below 2**bits)."""
    if not text or not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if value < 1 << bits else None
