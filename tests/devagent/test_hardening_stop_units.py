"""Units of the stop bounds: the caps on kill_timeout and shutdown_delay, and the shutdown's last-resort kill."""

import subprocess
import sys

import pytest

from devagent.process_ledger import ProcessLedger
from devagent.stop_limits import StopLimits
from tests.devagent.helpers import pid_alive, wait_for

S = 1_000_000_000


@pytest.mark.parametrize("task_ns, expected", [(None, 5 * S), (0, 5 * S), (2 * S, 2 * S), (10_000 * 3600 * S, 30 * S)])
def test_kill_timeout_defaults_to_5s_and_is_capped_at_max_kill_timeout(task_ns, expected):
    assert StopLimits().kill_timeout(task_ns) == expected


@pytest.mark.parametrize("delay_ns, expected", [(None, 0), (-S, 0), (S, S), (10_000 * 3600 * S, 30 * S)])
def test_shutdown_delay_is_capped_at_max_shutdown_delay(delay_ns, expected):
    assert StopLimits().shutdown_delay(delay_ns) == expected


def test_custom_caps():
    limits = StopLimits(max_kill_timeout_ns=S, max_shutdown_delay_ns=2 * S)
    assert limits.kill_timeout(60 * S) == S and limits.shutdown_delay(60 * S) == 2 * S


def _session_sleeper() -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "import signal, time\n"
                             "signal.signal(signal.SIGTERM, signal.SIG_IGN)\ntime.sleep(60)"],
                            start_new_session=True)


def test_kill_remaining_kills_only_the_recorded_task_groups(tmp_path):
    ledger = ProcessLedger(tmp_path)
    task, other = _session_sleeper(), _session_sleeper()
    try:
        ledger.add(task.pid, "task app")
        ledger.add(other.pid, "consul dev agent")  # started by the CLI, stopped by it: not a task
        killed = ledger.kill_remaining()
        assert killed == [f"task app (pid {task.pid})"]
        task.wait(timeout=10)
        assert not pid_alive(task.pid) and pid_alive(other.pid)
    finally:
        for process in (task, other):
            if process.poll() is None:
                process.kill()
                process.wait()
    wait_for(lambda: not pid_alive(other.pid), what="the other sleeper reaped")
