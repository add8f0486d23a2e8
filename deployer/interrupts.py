"""Hold Ctrl-C while a group of writes runs, so it never stops half way."""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager


class Cancelled(Exception):
    """Raised in worker threads once the user pressed Ctrl-C in the main thread."""


def raise_if_cancelled(cancel: threading.Event | None) -> None:
    """Stop a wait loop when cancel is set."""
    if cancel is not None and cancel.is_set():
        raise Cancelled()


@contextmanager
def deferred_interrupt():
    """Run the block to its end; a Ctrl-C pressed meanwhile is raised right after it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pressed = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: pressed.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if pressed:
        raise KeyboardInterrupt
