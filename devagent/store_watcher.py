"""A background thread that reacts to store changes (and polls), for the scheduler's helpers."""

from __future__ import annotations

import threading

POLL_SECONDS = 0.25


class StoreWatcher:
    """Calls tick() under the store lock after every change, and at least every POLL_SECONDS."""

    name = "store-watcher"

    def __init__(self, scheduler):
        self.scheduler = scheduler
        self.store = scheduler.store
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=self.name, daemon=True)

    def start(self) -> None:
        """Start watching."""
        self._thread.start()

    def stop(self) -> None:
        """Stop watching and wait for the thread."""
        self._stop.set()
        self._thread.join(timeout=5)

    def tick(self) -> None:
        """One pass over the store; runs with the store lock held."""
        raise NotImplementedError

    def _loop(self) -> None:
        seen = 0
        while not self._stop.is_set():
            seen = self.store.wait_for_change(seen, POLL_SECONDS)
            if self._stop.is_set():
                return
            try:
                with self.store.lock:
                    self.tick()
                    seen = self.store.index
            except Exception as exc:  # noqa: BLE001 - one bad object must not stop the watcher
                self.scheduler.ctx.log(f"{self.name}: {type(exc).__name__}: {exc}")
