"""Waiting on a condition with a deadline: the one polling helper the tests share."""

import time


def wait_for(condition, timeout: float = 30.0, what: str = "condition", interval: float = 0.05):
    """Poll condition() until it returns something truthy and return that; fail after timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        last = condition()
        if last:
            return last
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what} (last: {last!r})")
        time.sleep(interval)
