"""The chain without a mesh: order, invoice and tax wired to each other's ports by <NAME>_URL."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import requests

from bench.procs import TaskProcess, process_start_ticks

CHAIN = ("order", "invoice", "tax")
START_TIMEOUT = 30.0


class DirectChain:
    """The three services as plain gunicorn processes, each in its own process group."""

    def __init__(self, workdir: Path, keepalive: bool, next_port: Callable[[], int]):
        self.workdir = Path(workdir)
        self.keepalive = keepalive
        self.ports = {name: next_port() for name in CHAIN}
        self.processes: dict[str, subprocess.Popen] = {}

    @property
    def order_url(self) -> str:
        """GET / here runs the whole chain."""
        return f"http://127.0.0.1:{self.ports['order']}/"

    def log_paths(self) -> dict[str, Path]:
        """Each service's output file (its request log lines among gunicorn's)."""
        return {name: self.workdir / f"{name}.log" for name in CHAIN}

    def _env(self, name: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("NOMAD_")}
        env["PYTHONUNBUFFERED"] = "1"
        env["UPSTREAM_KEEPALIVE"] = "1" if self.keepalive else "0"
        upstream = {"order": "invoice", "invoice": "tax"}.get(name)
        if upstream:
            env[f"{upstream.upper()}_URL"] = f"http://127.0.0.1:{self.ports[upstream]}"
        return env

    def start(self) -> "DirectChain":
        """Start tax, invoice, order and wait until each answers /health."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        for name in reversed(CHAIN):
            with open(self.log_paths()[name], "ab") as log:
                self.processes[name] = subprocess.Popen(
                    [sys.executable, "-m", f"services.{name}", "--port", str(self.ports[name])],
                    env=self._env(name), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                    start_new_session=True)
        for name in CHAIN:
            self._wait_healthy(name)
        return self

    def _wait_healthy(self, name: str) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.processes[name].poll() is not None:
                raise RuntimeError(f"direct {name} exited; see {self.workdir / (name + '.log')}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"http://127.0.0.1:{self.ports[name]}/health", timeout=1).ok:
                    return
            time.sleep(0.05)
        raise TimeoutError(f"direct {name} not healthy after {START_TIMEOUT}s")

    def tasks(self) -> list[TaskProcess]:
        """The three service process groups."""
        return [TaskProcess(name, False, p.pid, process_start_ticks(p.pid)) for name, p in self.processes.items()]

    def stop(self) -> None:
        """SIGTERM each group, SIGKILL it if it has not gone after 10 s."""
        for process in self.processes.values():
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(10)
            except (subprocess.TimeoutExpired, KeyboardInterrupt):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def __enter__(self) -> "DirectChain":
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()
