"""Deadline propagation, so the hop farthest down the chain times out first and gets the blame.

A caller tells its upstream how long it will wait (X-Request-Timeout-Ms); the upstream keeps its
own upstream calls inside that budget minus a margin, and so answers 502 naming its own hop
before the caller gives up on it.
"""

import time

from flask import Flask, g, request

TIMEOUT_HEADER = "X-Request-Timeout-Ms"
MAX_MARGIN = 0.5
MAX_BUDGET_MS = 600_000


def margin_for(budget: float) -> float:
    """Return the time kept back for answering: a quarter of the budget, at most MAX_MARGIN."""
    return min(MAX_MARGIN, budget / 4)


def install_deadlines(app: Flask) -> None:
    """Read the caller's budget from each request into g.deadline (a time.monotonic() value)."""

    @app.before_request
    def _read_budget():
        raw = request.headers.get(TIMEOUT_HEADER, "").strip()
        g.deadline = None
        if raw.isdigit() and 0 < int(raw) <= MAX_BUDGET_MS:
            budget = int(raw) / 1000
            g.deadline = time.monotonic() + budget - margin_for(budget)


def current_deadline() -> float | None:
    """Return the deadline of the request being served, if its caller sent a budget."""
    return g.get("deadline")


def bounded_timeouts(connect: float, read: float, deadline: float | None) -> tuple[float, float] | None:
    """Return (connect, read) shortened to what is left before the deadline, or None if none is left."""
    if deadline is None:
        return connect, read
    remaining = deadline - time.monotonic()
    if remaining <= 0.001:
        return None
    return min(connect, remaining), min(read, remaining)
