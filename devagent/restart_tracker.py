"""Nomad's restart policy decisions (client/allocrunner/taskrunner/restarts)."""

from __future__ import annotations

import random
import time

RESTART = "Restarting"
NOT_RESTART = "Not Restarting"
DONE = "Terminated"

REASON_NO_RESTARTS = "Policy allows no restarts"
REASON_WITHIN_POLICY = "Restart within policy"
REASON_DELAY = "Exceeded allowed attempts, applying a delay"
JITTER = 0.25


class RestartTracker:
    """Counts failures within the policy interval and says what to do after an exit."""

    def __init__(self, policy: dict, restart_on_success: bool = True):
        self.policy = policy
        self.restart_on_success = restart_on_success
        self.count = 0
        self.interval_start = time.monotonic()
        self.reason = ""

    def next_step(self, successful_exit: bool) -> tuple[str, int]:
        """(RESTART|NOT_RESTART|DONE, delay in ns) after the task exited."""
        attempts, interval = self.policy["Attempts"], self.policy["Interval"]
        if attempts == 0:
            self.reason = REASON_NO_RESTARTS
            if successful_exit and not self.restart_on_success:
                return DONE, 0
            return NOT_RESTART, 0
        now = time.monotonic()
        if (now - self.interval_start) * 1e9 > interval:
            self.count, self.interval_start = 0, now
        self.count += 1
        if successful_exit and not self.restart_on_success:
            self.reason = "Restart unnecessary as task terminated successfully"
            return DONE, 0
        if self.count > attempts:
            if self.policy["Mode"] == "fail":
                from devagent.durations import format_go_duration
                self.reason = f'Exceeded allowed attempts {attempts} in interval {format_go_duration(interval)} and mode is "fail"'
                return NOT_RESTART, 0
            self.reason = REASON_DELAY
            return RESTART, int(self.interval_start * 1e9 + interval - now * 1e9)
        self.reason = REASON_WITHIN_POLICY
        delay = max(int(self.policy["Delay"]), 1)
        return RESTART, delay + int(random.randrange(delay) * JITTER)
