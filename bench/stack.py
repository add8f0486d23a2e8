"""One Consul dev agent plus one devagent with a given sidecar kind, and the deployer pointed at them."""

from __future__ import annotations

import contextlib
import io
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from bench.consul import BenchConsul
from bench.ports import free_port
from bench.procs import TaskProcess, task_processes
from deployer.errors import EXIT_INTERRUPTED

START_TIMEOUT = 30.0
NODE_CPU_MHZ = 100_000
NODE_MEMORY_MB = 65_536
STOP_TIMEOUT = 90.0


@dataclass(frozen=True)
class DeployerRun:
    """One in-process deployer CLI call: exit code, output and wall time."""

    code: int
    out: str
    err: str
    started: float
    returned: float

    @property
    def seconds(self) -> float:
        """Wall time of the call."""
        return self.returned - self.started

    def require_ok(self, what: str) -> "DeployerRun":
        """Raise with the deployer's output when it failed."""
        if self.code != 0:
            raise RuntimeError(f"deployer {what} exited {self.code}: {self.error_line()}")
        return self

    def error_line(self) -> str:
        """The deployer's `error:` line (or the last line it printed)."""
        lines = [line.strip() for line in (self.err + self.out).splitlines() if line.strip()]
        errors = [line for line in lines if line.startswith("error:")]
        return (errors or lines or ["no output"])[0 if errors else -1]


def run_deployer(flags: list[str], argv: list[str]) -> DeployerRun:
    """Call `deployer.cli.main` in this process (no interpreter start-up in the timing)."""
    from deployer.cli import main as deployer_main
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        started = time.perf_counter()
        code = deployer_main([*flags, *argv])
        returned = time.perf_counter()
    if code == EXIT_INTERRUPTED:
        # The deployer turns Ctrl-C into an exit code; the benchmark must stop too.
        raise KeyboardInterrupt
    return DeployerRun(code, out.getvalue(), err.getvalue(), started, returned)


class MeshStack:
    """A fresh Consul and devagent (-sidecar kind, plus devagent_flags) in workdir; stop() leaves nothing running."""

    def __init__(self, sidecar: str, workdir: Path, devagent_flags: tuple[str, ...] = ()):
        self.sidecar = sidecar
        self.devagent_flags = devagent_flags
        self.workdir = Path(workdir)
        self.data_dir = self.workdir / "devagent-data"
        self.consul: BenchConsul | None = None
        self.process: subprocess.Popen | None = None
        self.port = free_port()

    @property
    def nomad_addr(self) -> str:
        """Base URL of devagent's Nomad API."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "MeshStack":
        """Start Consul, then devagent, and wait until devagent answers."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.data_dir.mkdir(exist_ok=True)
        self.consul = BenchConsul(self.workdir / "consul.log").start()
        argv = [sys.executable, "-m", "devagent", "-http-port", str(self.port), "-consul-addr",
                self.consul.http_addr, "-data-dir", str(self.data_dir), "-sidecar", self.sidecar,
                # The node's capacity as Nomad's client config would declare it: large enough for the
                # 100-service scale run (100 x (100 + 250 MHz, 128 + 128 MB) asked; the apps use far less).
                "-cpu-total-compute", str(NODE_CPU_MHZ), "-memory-total-mb", str(NODE_MEMORY_MB), *self.devagent_flags]
        with open(self.workdir / "devagent.log", "ab") as log:
            self.process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                            start_new_session=True)
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"devagent exited {self.process.returncode}; see {self.workdir / 'devagent.log'}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{self.nomad_addr}/v1/status/leader", timeout=1).ok:
                    return
            time.sleep(0.05)
        raise TimeoutError(f"devagent not ready after {START_TIMEOUT}s; see {self.workdir / 'devagent.log'}")

    def deployer(self, values: Path, *argv: str) -> DeployerRun:
        """Run one deployer command against this stack with the given values file."""
        flags = ["--nomad-addr", self.nomad_addr, "--consul-addr", self.consul.http_addr,
                 "--values", str(values), "--no-color"]
        return run_deployer(flags, list(argv))

    def tasks(self) -> list[TaskProcess]:
        """The service and sidecar process groups devagent is running now."""
        return task_processes(self.data_dir)

    def wait_no_tasks(self, timeout: float = 60.0) -> None:
        """Block until no task process of devagent is alive (after a destroy)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not any(t.alive() for t in self.tasks()):
                return
            time.sleep(0.1)
        raise TimeoutError(f"task processes still alive {timeout}s after destroy")

    def stop(self) -> None:
        """SIGTERM devagent (it stops its allocations), SIGKILL leftovers, then stop Consul."""
        try:
            if self.process is not None and self.process.poll() is None:
                self.process.send_signal(signal.SIGTERM)
                try:
                    self.process.wait(STOP_TIMEOUT)
                except (subprocess.TimeoutExpired, KeyboardInterrupt):
                    # A hang, or a second Ctrl-C while cleaning up: stop waiting, kill the group.
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        os.killpg(self.process.pid, signal.SIGKILL)
                    self.process.wait()
            for task in self.tasks():
                if task.alive():
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        os.killpg(task.pgid, signal.SIGKILL)
        finally:
            if self.consul is not None:
                self.consul.stop()

    def __enter__(self) -> "MeshStack":
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()

