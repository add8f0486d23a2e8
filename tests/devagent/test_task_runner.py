"""TaskRunner on real processes: kill_signal, kill_timeout escalation, restarts, the ledger."""

import sys
import threading

from devagent.process_ledger import ProcessLedger
from devagent.task_runner import TaskLaunch, TaskRunner
from tests.devagent.helpers import ledger_pids, pid_alive, wait_for

S = 1_000_000_000
IGNORES_SIGINT = "import signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN); print('up', flush=True); time.sleep(60)"


class Recorder:
    """A StateSink that keeps the task state and its events."""

    def __init__(self):
        self.state, self.events, self.lock = {}, [], threading.Lock()

    def __call__(self, changes, event):
        with self.lock:
            self.state.update(changes)
            if event is not None:
                self.events.append(event)

    def messages(self):
        with self.lock:
            return [e["DisplayMessage"] for e in self.events]


def _stdout(tmp_path):
    path = tmp_path / "t.stdout.0"
    return path.read_text() if path.exists() else ""


def _launch(tmp_path, code, **overrides):
    values = dict(name="t", argv=[sys.executable, "-c", code], env={}, cwd=str(tmp_path),
                  stdout_path=str(tmp_path / "t.stdout.0"), stderr_path=str(tmp_path / "t.stderr.0"),
                  restart_policy={"Attempts": 0, "Interval": 60 * S, "Delay": S // 10, "Mode": "fail"})
    values.update(overrides)
    return TaskLaunch(**values)


def test_kill_timeout_escalates_to_sigkill(tmp_path):
    ledger, sink = ProcessLedger(tmp_path), Recorder()
    runner = TaskRunner(_launch(tmp_path, IGNORES_SIGINT, kill_timeout_ns=S // 2), sink, ledger)
    runner.start()
    wait_for(lambda: "up" in _stdout(tmp_path), what="task up")
    [pid] = ledger_pids(tmp_path)
    runner.stop()
    assert not pid_alive(pid)
    assert sink.messages()[-2:] == ["Sent interrupt. Waiting 500ms before force killing", "Task successfully killed"]
    assert sink.state["State"] == "dead" and not sink.state.get("Failed")
    assert ledger_pids(tmp_path) == []


def test_kill_signal_is_sent_to_the_group(tmp_path):
    code = ("import signal, sys, time\n"
            "signal.signal(signal.SIGTERM, lambda *a: (print('got TERM', flush=True), sys.exit(0)))\n"
            "print('up', flush=True); time.sleep(60)")
    sink = Recorder()
    runner = TaskRunner(_launch(tmp_path, code, kill_signal="SIGTERM", kill_timeout_ns=5 * S), sink, ProcessLedger(tmp_path))
    runner.start()
    wait_for(lambda: "up" in _stdout(tmp_path), what="task up")
    runner.stop()
    assert "got TERM" in _stdout(tmp_path)
    assert sink.messages()[-1] == "Task successfully killed"


def test_restarts_within_policy_then_not_restarting(tmp_path):
    sink = Recorder()
    policy = {"Attempts": 2, "Interval": 60 * S, "Delay": S // 20, "Mode": "fail"}
    runner = TaskRunner(_launch(tmp_path, "import sys; sys.exit(7)", restart_policy=policy), sink, ProcessLedger(tmp_path))
    runner.start()
    assert runner.finished.wait(10)
    assert runner.failed and sink.state["Restarts"] == 2 and sink.state["Failed"] is True
    assert sink.messages().count("Exit Code: 7") == 3
    assert sink.messages()[-1] == 'Exceeded allowed attempts 2 in interval 1m0s and mode is "fail"'


def test_a_missing_command_is_a_driver_failure(tmp_path):
    sink = Recorder()
    launch = _launch(tmp_path, "", argv=[str(tmp_path / "no-such-binary")])
    runner = TaskRunner(launch, sink, ProcessLedger(tmp_path))
    runner.start()
    assert runner.finished.wait(10) and runner.failed
    assert any(e["Type"] == "Driver Failure" for e in sink.events)


def test_a_requested_restart_starts_the_task_again_outside_the_restart_policy(tmp_path):
    sink = Recorder()
    code = "import time; print('up', flush=True); time.sleep(60)"
    # Attempts 0: a crash would end the task; a requested restart does not count against the policy.
    runner = TaskRunner(_launch(tmp_path, code, kill_timeout_ns=5 * S), sink, ProcessLedger(tmp_path))
    runner.start()
    wait_for(lambda: "up" in _stdout(tmp_path), what="task up")
    [first] = ledger_pids(tmp_path)
    assert runner.restart("Consul's CA changed")
    wait_for(lambda: _stdout(tmp_path).count("up") == 2, what="task up again")
    [second] = ledger_pids(tmp_path)
    assert second != first and not pid_alive(first)
    assert "Consul's CA changed" in sink.messages() and not runner.failed
    assert sink.state["State"] == "running" and sink.state.get("Restarts", 0) == 0
    runner.stop()
    assert not runner.restart("too late")  # a stopped task is not started again
