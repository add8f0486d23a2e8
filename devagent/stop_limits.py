"""Bounds on how long stopping an allocation may take, whatever its job says.

Nomad's client caps every task's kill_timeout at the agent's max_kill_timeout (default 30s;
the Killing event shows the capped value). Nomad waits a shutdown_delay in full, unless the stop
asks to skip it (`-no-shutdown-delay`, DesiredTransition.NoShutdownDelay: event "Skipping shutdown
delay"). devagent adds two bounds of its own so that stopping never hangs: every shutdown_delay
(group and task) is capped at max_shutdown_delay (default 30s), and its own shutdown (SIGINT or
SIGTERM) skips shutdown delays altogether, as a stop with no_shutdown_delay does.
"""

from __future__ import annotations

from dataclasses import dataclass

from devagent.durations import SECOND
from devagent.jobspec.defaults import KILL_TIMEOUT

MAX_KILL_TIMEOUT_NS = 30 * SECOND  # Nomad's client max_kill_timeout default
MAX_SHUTDOWN_DELAY_NS = 30 * SECOND  # devagent's own cap


@dataclass(frozen=True)
class StopLimits:
    """The agent's caps on kill_timeout and shutdown_delay, in nanoseconds."""

    max_kill_timeout_ns: int = MAX_KILL_TIMEOUT_NS
    max_shutdown_delay_ns: int = MAX_SHUTDOWN_DELAY_NS

    def kill_timeout(self, task_ns: int | None) -> int:
        """The kill_timeout a task gets: its own (default 5s), at most max_kill_timeout."""
        return min(task_ns or KILL_TIMEOUT, self.max_kill_timeout_ns)

    def shutdown_delay(self, delay_ns: int | None) -> int:
        """The shutdown_delay waited: the job's, at most max_shutdown_delay."""
        return min(max(delay_ns or 0, 0), self.max_shutdown_delay_ns)
