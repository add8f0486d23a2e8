"""Blocking-query watches on Consul that call back when what they watch changes."""

from __future__ import annotations

import logging
import threading
from typing import Callable

from devagent.consul_client import ConsulClient

log = logging.getLogger(__name__)

POLL_INTERVAL = 1.0


class BlockingWatch:
    """A thread running one blocking query in a loop; `on_change(data)` runs when the index moves."""

    def __init__(self, name: str, client: ConsulClient, path: str, params: dict | None,
                 on_change: Callable[[object], None], stop: threading.Event, index: int = 0,
                 wait: float = 60.0):
        self.name = name
        self.client = client
        self.path = path
        self.params = params or {}
        self.on_change = on_change
        self.stop = stop
        self.index = index
        self.wait = wait
        self.errors = 0
        self.thread = threading.Thread(target=self._run, name=f"envoy-watch-{name}", daemon=True)

    def start(self) -> "BlockingWatch":
        """Start the watch thread."""
        self.thread.start()
        return self

    def _run(self) -> None:
        backoff = 0.2
        while not self.stop.is_set():
            try:
                data, index = self.client.get(self.path, self.params, index=self.index, wait=self.wait)
            except Exception as exc:  # noqa: BLE001 -- any failure: retry with backoff until stopped
                if self.stop.is_set():
                    return
                self.errors += 1
                # Consul may come back as a new agent (a dev agent keeps nothing: new CA, indexes from 1):
                # an old index would block the next query for its whole wait, so read afresh
                self.index = 0
                log.warning("watch %s: %s (retrying in %.1fs)", self.name, exc, backoff)
                self.stop.wait(backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            backoff = 0.2
            if self.stop.is_set():
                return
            # the first read does not block (index 0): it brings the current value at once
            if index == 0:  # this endpoint does not block: fall back to polling
                self.stop.wait(POLL_INTERVAL)
            elif index < self.index:  # Consul's index went backwards (e.g. a restored snapshot): start over
                self.index = 0
                continue
            elif index == self.index:
                continue
            self.index = index
            try:
                self.on_change(data)
            except Exception:  # noqa: BLE001 -- a bad render must not kill the watch
                self.errors += 1
                log.exception("watch %s: applying the change failed", self.name)

    def close(self, timeout: float = 2.0) -> None:
        """Stop: interrupt the query in flight and wait for the thread."""
        self.stop.set()
        self.client.close()
        if self.thread.is_alive() and self.thread is not threading.current_thread():
            self.thread.join(timeout)
