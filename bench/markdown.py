"""Markdown pieces the reports share."""

from __future__ import annotations


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A markdown table as lines, with a blank line after it."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines + [""]
