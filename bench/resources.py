"""Resident memory of every service and sidecar process group of a target."""

from __future__ import annotations

from collections.abc import Callable

from bench.overhead import task_label
from bench.procs import TaskProcess, group_rss_kib
from bench.results import ProcessMemory


def memory_snapshot(target: str, tasks: Callable[[], list[TaskProcess]]) -> list[ProcessMemory]:
    """VmRSS summed over each process group (gunicorn's master and worker count together)."""
    return [ProcessMemory(target, task_label(t), group_rss_kib(t.pgid)) for t in tasks()]
