"""Run one task as a host process in its own process group, under its restart policy."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import threading
from dataclasses import dataclass
from typing import Callable

from devagent import task_events as ev
from devagent.process_ledger import ProcessLedger
from devagent.restart_tracker import DONE, NOT_RESTART, RestartTracker
from devagent.state import now_rfc3339

# update(state_changes, event): the alloc runner applies both to the task's TaskState.
StateSink = Callable[[dict, dict | None], None]


@dataclass
class TaskLaunch:
    """How to start one task process."""

    name: str
    argv: list[str]
    env: dict[str, str]
    cwd: str
    stdout_path: str
    stderr_path: str
    restart_policy: dict
    kill_signal: str = "SIGINT"
    kill_timeout_ns: int = 5_000_000_000
    restart_on_success: bool = True
    network_namespace: str = ""  # run inside this named network namespace (bridge mode); "" = host network


class TaskRunner:
    """Starts, watches, restarts and kills one task; reports through a StateSink."""

    def __init__(self, launch: TaskLaunch, sink: StateSink, ledger: ProcessLedger,
                 on_finished: Callable[[], None] | None = None):
        self.launch = launch
        self.on_finished = on_finished
        self.sink = sink
        self.ledger = ledger
        self.tracker = RestartTracker(launch.restart_policy, launch.restart_on_success)
        self._stop = threading.Event()
        self._exited = threading.Event()
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._restart_reason: str | None = None  # set by restart(): the next exit is not a failure
        self._thread = threading.Thread(target=self._run, name=f"task-{launch.name}", daemon=True)
        self.failed = False
        self.finished = threading.Event()
        self.started_once = threading.Event()

    def start(self) -> None:
        """Start the run loop in a thread."""
        self._thread.start()

    @property
    def running(self) -> bool:
        """Whether the process is alive right now."""
        with self._lock:
            return self._process is not None and not self._exited.is_set()

    def _run(self) -> None:
        try:
            self._loop()
        except Exception as exc:  # noqa: BLE001 - report it as the task failing, never lose the thread silently
            self.failed = True
            self.sink({"State": "dead", "Failed": True, "FinishedAt": now_rfc3339()},
                      ev.task_event(ev.DRIVER_FAILURE, DriverError=f"devagent: {type(exc).__name__}: {exc}", FailsTask=True))
        finally:
            self.finished.set()
            if self.on_finished is not None:
                self.on_finished()

    def _loop(self) -> None:
        restarts = 0
        while not self._stop.is_set():
            if not self._start_process():
                exit_ok, exit_event = False, None
            else:
                self.sink({"State": "running", "StartedAt": now_rfc3339()},
                          ev.task_event(ev.STARTED))
                self.started_once.set()
                code = self._wait_and_reap()
                if self._stop.is_set():
                    return
                if self._restart_reason is not None:
                    # Restarted on request (Nomad's alloc restart): no restart policy, no delay.
                    self._restart_reason = None
                    self.sink({}, ev.task_event(ev.TERMINATED, ExitCode=-1 if code < 0 else code,
                                                Signal=-code if code < 0 else 0))
                    continue
                signum = -code if code < 0 else 0
                exit_event = ev.task_event(ev.TERMINATED, ExitCode=-1 if signum else code, Signal=signum)
                exit_ok = code == 0
                self.sink({}, exit_event)
            step, delay = self.tracker.next_step(exit_ok)
            if step == DONE:
                self.sink({"State": "dead", "FinishedAt": now_rfc3339()}, None)
                return
            if step == NOT_RESTART:
                self.failed = True
                self.sink({"State": "dead", "Failed": True, "FinishedAt": now_rfc3339()},
                          ev.task_event(ev.NOT_RESTARTING, RestartReason=self.tracker.reason, FailsTask=True))
                return
            restarts += 1
            self.sink({"State": "pending", "Restarts": restarts, "LastRestart": now_rfc3339()},
                      ev.task_event(ev.RESTARTING, RestartReason=self.tracker.reason, StartDelay=delay))
            self._stop.wait(delay / 1e9)

    def _start_process(self) -> bool:
        launch = self.launch
        with self._lock:
            if self._stop.is_set():
                return False
            try:
                with open(launch.stdout_path, "ab") as out, open(launch.stderr_path, "ab") as err:
                    self._process = subprocess.Popen(
                        process_argv(launch), cwd=launch.cwd, env=launch.env, stdout=out, stderr=err,
                        stdin=subprocess.DEVNULL, start_new_session=True)
            except OSError as exc:
                self._process = None
                self.sink({}, ev.task_event(ev.DRIVER_FAILURE, DriverError=f"failed to launch command with executor: {exc}",
                                            FailsTask=True))
                return False
            self._exited.clear()
            self.ledger.add(self._process.pid, f"task {launch.name}")
            return True

    def _wait_and_reap(self) -> int:
        """Wait for the leader to exit, kill what is left of its group, then reap it."""
        process = self._process
        os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOWAIT)
        _kill_group(process.pid, signal.SIGKILL)
        code = process.wait()
        self.ledger.remove(process.pid)
        self._exited.set()
        return code

    def restart(self, reason: str) -> bool:
        """Stop the running process (kill_signal) and start it again at once; False if it is not running."""
        with self._lock:
            process = self._process
            if self._stop.is_set() or process is None or self._exited.is_set():
                return False
            self._restart_reason = reason
        self.sink({}, ev.task_event(ev.RESTART_SIGNALED, RestartReason=reason))
        _kill_group(process.pid, _signal_number(self.launch.kill_signal))
        if not self._exited.wait(self.launch.kill_timeout_ns / 1e9):
            _kill_group(process.pid, signal.SIGKILL)
        return True

    def stop(self, reason: str = "") -> None:
        """Kill the task: kill_signal, kill_timeout, then SIGKILL the group; no restart after."""
        with self._lock:
            self._stop.set()
            process = self._process
        if process is not None and not self._exited.is_set():
            timeout = self.launch.kill_timeout_ns
            self.sink({}, ev.task_event(ev.KILLING, KillTimeout=timeout, KillReason=reason))
            _kill_group(process.pid, _signal_number(self.launch.kill_signal))
            if not self._exited.wait(timeout / 1e9):
                _kill_group(process.pid, signal.SIGKILL)
                self._exited.wait(10)
            self.sink({}, ev.task_event(ev.KILLED))
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=15)
        self.sink({"State": "dead", "FinishedAt": now_rfc3339()}, None)


def process_argv(launch: TaskLaunch) -> list[str]:
    """The argv to run: the task's own, entered into its network namespace by `ip netns exec` (which execs it).

    The command is looked up first, so a missing one fails the launch as it does on the host.
    """
    if not launch.network_namespace:
        return launch.argv
    command = launch.argv[0]
    if os.sep in command:
        found = os.path.join(launch.cwd, command) if not os.path.isabs(command) else command
        found = found if os.access(found, os.X_OK) else None
    else:
        found = shutil.which(command, path=launch.env.get("PATH", os.defpath))
    if found is None:
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), command)
    return ["ip", "netns", "exec", launch.network_namespace, *launch.argv]


def _signal_number(name: str) -> int:
    name = (name or "SIGINT").upper()
    name = name if name.startswith("SIG") else "SIG" + name
    try:
        return signal.Signals[name]
    except KeyError:
        return signal.SIGINT


def _kill_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass
