"""Resident memory and idle CPU of every service and sidecar process group of the targets."""

from __future__ import annotations

import time

from bench.overhead import LoadTarget, task_label
from bench.procs import group_cpu_seconds, group_inotify_instances, group_rss_kib
from bench.results import ProcessFootprint


def footprints(targets: list[LoadTarget], idle_seconds: float) -> list[ProcessFootprint]:
    """VmRSS summed over each process group, and its CPU use over idle_seconds without load."""
    groups = [(target.name, task) for target in targets for task in target.tasks()]
    before = [group_cpu_seconds(task.pgid) for _, task in groups]
    started = time.monotonic()
    time.sleep(idle_seconds)  # the measurement window itself, not a synchronisation
    elapsed = time.monotonic() - started
    return [ProcessFootprint(name, task_label(task), group_rss_kib(task.pgid),
                             (group_cpu_seconds(task.pgid) - cpu) / elapsed * 100, group_inotify_instances(task.pgid))
            for (name, task), cpu in zip(groups, before)]
