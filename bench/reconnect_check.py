"""Checks that wrk with `Connection: close` really opens a new connection for every request."""

from __future__ import annotations

from pathlib import Path

from bench.wrk import run_wrk

TIME_WAIT = "06"


def closed_connections(port: int, table: str | None = None) -> int:
    """Connections to or from port now in TIME_WAIT (on the side that closed first: server or client)."""
    text = table if table is not None else Path("/proc/net/tcp").read_text()
    count = 0
    for line in text.splitlines()[1:]:
        fields = line.split()
        if len(fields) > 3 and fields[3] == TIME_WAIT:
            ends = {int(fields[1].rsplit(":", 1)[1], 16), int(fields[2].rsplit(":", 1)[1], 16)}
            count += port in ends
    return count


def check_reconnects(wrk: str, port: int, workdir: Path) -> str:
    """Run wrk with and without `Connection: close` against port; say how many connections each closed."""
    lines = []
    for new_connection in (False, True):
        before = closed_connections(port)
        result = run_wrk(wrk, f"http://127.0.0.1:{port}/", workdir, 2, 1, 2, new_connection)
        closed = closed_connections(port) - before
        mode = "with `Connection: close`" if new_connection else "default (keep-alive)"
        lines.append(f"wrk {mode}: {result.requests} requests, {closed} connections closed "
                     f"({closed / max(1, result.requests):.2f} per request, counted as TIME_WAIT sockets)")
    return "; ".join(lines)
