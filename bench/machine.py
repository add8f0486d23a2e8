"""The machine and the versions a run used."""

from __future__ import annotations

import os
import platform
import subprocess
from datetime import datetime, timezone
from pathlib import Path

from bench.results import Machine
from bench.wrk import wrk_version
from devagent.sidecars.envoy import envoy_binary


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


def _envoy_version() -> str:
    path = envoy_binary()
    if not path:
        return "unavailable"
    text = _first_line([path, "--version"]).split("version:", 1)[-1].strip()
    parts = text.split("/")
    return f"{parts[1]} ({parts[-1]})" if len(parts) >= 3 else text


def describe_machine(wrk: str) -> Machine:
    """Cores, memory, CPU, kernel, date, load and tool versions."""
    from devagent.consul_dev import find_consul_binary
    return Machine(
        date=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        cores=os.cpu_count() or 0,
        memory_gib=_memory_gib(),
        cpu_model=_cpu_model(),
        kernel=platform.release(),
        python=platform.python_version(),
        consul=_first_line([find_consul_binary(), "version"]),
        envoy=_envoy_version(),
        wrk=wrk_version(wrk),
        load_before=" ".join(Path("/proc/loadavg").read_text().split()[:3]),
        inotify_limit=_inotify_limit(),
    )
