"""Terminal output: colour only on a TTY (and never with NO_COLOR), tables, JSON."""

from __future__ import annotations

import json
import os
import sys
from typing import TextIO

COLOURS = {"red": "31", "green": "32", "yellow": "33", "bold": "1", "dim": "2"}


def colour_enabled(stream: TextIO, no_color_flag: bool = False, env=None) -> bool:
    """Colour only when writing to a terminal and neither NO_COLOR nor --no-color is set."""
    env = os.environ if env is None else env
    if no_color_flag or "NO_COLOR" in env:
        return False
    return is_terminal(stream)


def is_terminal(stream: TextIO) -> bool:
    """Whether the stream is an interactive terminal (streams without isatty are not)."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class Console:
    """Writes results to stdout and errors to stderr, in colour when allowed."""

    def __init__(self, out: TextIO | None = None, err: TextIO | None = None, no_color: bool = False):
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.colour = colour_enabled(self.out, no_color)
        self.err_colour = colour_enabled(self.err, no_color)

    @property
    def is_tty(self) -> bool:
        """Whether stdout is an interactive terminal."""
        return is_terminal(self.out)

    def paint(self, text: str, colour: str, stream_colour: bool | None = None) -> str:
        """Wrap text in an ANSI colour when colour is on."""
        enabled = self.colour if stream_colour is None else stream_colour
        return f"\033[{COLOURS[colour]}m{text}\033[0m" if enabled else text

    def line(self, text: str = "") -> None:
        """Print one line on stdout."""
        print(text, file=self.out, flush=True)

    def json(self, data) -> None:
        """Print data as indented JSON on stdout."""
        print(json.dumps(data, indent=2, sort_keys=True), file=self.out, flush=True)

    def error(self, message: str, hint: str | None = None) -> None:
        """Print the `error:` line and, if any, the `hint:` line on stderr."""
        print(f"{self.paint('error:', 'red', self.err_colour)} {message}", file=self.err, flush=True)
        if hint:
            self.error_hint(hint)

    def warning(self, message: str) -> None:
        """Print a `warning:` line on stderr."""
        print(f"{self.paint('warning:', 'yellow', self.err_colour)} {message}", file=self.err, flush=True)

    def error_hint(self, hint: str) -> None:
        """Print only the `hint:` line on stderr."""
        print(f"{self.paint('hint:', 'yellow', self.err_colour)} {hint}", file=self.err, flush=True)

    def table(self, headers: list[str], rows: list[list[str]]) -> None:
        """Print rows under headers in aligned columns."""
        for text in format_table(headers, rows):
            self.line(text)


def format_table(headers: list[str], rows: list[list[str]]) -> list[str]:
    """Align columns with two spaces between them; returns the lines."""
    cells = [[str(c) for c in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in cells]
