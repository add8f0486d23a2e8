"""A load client like an operator's: GET / on the edge every few milliseconds, counting failed requests."""

from __future__ import annotations

import http.client
import threading
import time
from dataclasses import dataclass, field


@dataclass
class LoadReport:
    """What the load client saw."""

    total: int
    failed: int
    first_failure: float | None  # monotonic time
    last_failure: float | None
    errors: dict[str, int] = field(default_factory=dict)

    @property
    def outage_seconds(self) -> float:
        """From the first to the last failed request (0 without failures)."""
        if self.first_failure is None:
            return 0.0
        return self.last_failure - self.first_failure

    def line(self, event: str) -> str:
        """One printable line of counts."""
        kinds = ", ".join(f"{k} x{v}" for k, v in sorted(self.errors.items(), key=lambda kv: -kv[1])[:3])
        return (f"{event}: {self.failed} of {self.total} requests failed"
                + (f" over {self.outage_seconds:.1f}s ({kinds})" if self.failed else ""))


class LoadClient:
    """A thread that sends `GET /` to host:port on a new connection every `interval` seconds."""

    def __init__(self, port: int, host: str = "127.0.0.1", interval: float = 0.02, timeout: float = 3.0):
        self.host, self.port, self.interval, self.timeout = host, port, interval, timeout
        self._results: list[tuple[float, bool, str]] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="load-client", daemon=True)

    def __enter__(self) -> "LoadClient":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop sending and wait for the request in flight."""
        self._stop.set()
        self._thread.join(timeout=self.timeout + 2)

    def _loop(self) -> None:
        while not self._stop.is_set():
            started = time.monotonic()
            ok, detail = self._one()
            with self._lock:
                self._results.append((started, ok, detail))
            self._stop.wait(max(0.0, self.interval - (time.monotonic() - started)))

    def _one(self) -> tuple[bool, str]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            connection.request("GET", "/", headers={"Connection": "close"})
            response = connection.getresponse()
            response.read()
            return response.status == 200, f"HTTP {response.status}"
        except (OSError, http.client.HTTPException) as exc:
            return False, type(exc).__name__
        finally:
            connection.close()

    def report(self, since: float | None = None) -> LoadReport:
        """Counts so far (optionally only of requests started at or after `since`)."""
        with self._lock:
            results = [r for r in self._results if since is None or r[0] >= since]
        failures = [r for r in results if not r[1]]
        errors: dict[str, int] = {}
        for _, _, detail in failures:
            errors[detail] = errors.get(detail, 0) + 1
        return LoadReport(len(results), len(failures), failures[0][0] if failures else None,
                          failures[-1][0] if failures else None, errors)

    def wait_requests(self, count: int, timeout: float = 30.0) -> None:
        """Block until at least `count` requests were made (so a test has a baseline)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self._results) >= count:
                    return
            time.sleep(0.05)
        raise AssertionError(f"the load client made fewer than {count} requests in {timeout}s")
