"""Sidecar overhead: wrk against order's URL for each target, interleaved in rounds to share the noise."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import requests

from bench.hop_profile import RequestLogs, hop_medians
from bench.procs import TaskProcess, group_cpu_seconds
from bench.results import LoadRun
from bench.wrk import run_wrk


PROFILED_CONNECTIONS = 1  # the hop profile is read in keep-alive runs at this concurrency (issue 12's ratio)


@dataclass
class LoadTarget:
    """Something that serves the chain at url, and the process groups that do the work."""

    name: str
    url: str
    tasks: Callable[[], list[TaskProcess]]
    logs: RequestLogs | None = None  # the apps' request logs, for the hop profile


def task_label(task: TaskProcess) -> str:
    """`order` for a service, `sidecar order` for its sidecar."""
    return f"sidecar {task.service}" if task.is_sidecar else task.service


@dataclass
class LoadSettings:
    """How each wrk run is made."""

    wrk: str
    workdir: Path
    seconds: float
    concurrencies: tuple[int, ...]
    rounds: int
    threads: int = 2


def load_run(target: LoadTarget, settings: LoadSettings, connections: int, new_connection: bool,
             round_number: int = 0) -> LoadRun:
    """One wrk run, with the CPU time each process group of the target used meanwhile."""
    tasks = target.tasks()
    profiled = target.logs is not None and not new_connection and connections == PROFILED_CONNECTIONS
    if profiled:
        target.logs.mark()
    before = {task_label(t): group_cpu_seconds(t.pgid) for t in tasks}
    result = run_wrk(settings.wrk, target.url, settings.workdir, connections, min(settings.threads, connections),
                     settings.seconds, new_connection)
    after = {task_label(t): group_cpu_seconds(t.pgid) for t in tasks}
    hops = _hops(target, result.p50_us / 1000) if profiled else {}
    return LoadRun(target=target.name, variant="new connection" if new_connection else "keep-alive",
                   connections=connections, requests=result.requests, seconds=result.duration_us / 1e6,
                   p50_ms=result.p50_us / 1000, p99_ms=result.p99_us / 1000, p999_ms=result.p999_us / 1000,
                   errors=result.errors, cpu_s={k: after[k] - before[k] for k in before if k in after},
                   round=round_number, hop_ms=hops)


def _hops(target: LoadTarget, client_p50_ms: float) -> dict[str, float]:
    """The run's hop profile from the apps' logs; {} when they cannot be read (the run's figures stand)."""
    try:
        return hop_medians(target.logs.new_lines(), client_p50_ms)
    except (OSError, ValueError, RuntimeError, requests.RequestException):
        return {}


def measure_load(targets: list[LoadTarget], settings: LoadSettings, new_connection: bool, log=print) -> list[LoadRun]:
    """settings.rounds rounds; in each, every target at every concurrency, one after the other."""
    runs = []
    for round_number in range(settings.rounds):
        for connections in settings.concurrencies:
            # Rotate who goes first each round, so no target always runs right after another.
            shift = round_number % len(targets)
            for target in targets[shift:] + targets[:shift]:
                run = load_run(target, settings, connections, new_connection, round_number)
                runs.append(run)
                log(f"  round {round_number + 1} {target.name:8} {run.variant:14} c={connections:<3} "
                    f"{run.rps:7.1f} req/s  p50 {run.p50_ms:6.2f} ms  p99 {run.p99_ms:7.2f} ms  errors {run.errors}")
    return runs
