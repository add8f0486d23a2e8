"""Zero-value field access for structs-shaped dicts: what Go reads from an unset field."""

from __future__ import annotations


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
