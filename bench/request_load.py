"""A load client like an operator's: GET / on the edge from several workers, counting failed requests."""

from __future__ import annotations

import http.client
import json
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
    seconds: float = 0.0  # from the first request counted to the last one's end (summed over windows)
    latency_p50_ms: float = 0.0  # of the requests that succeeded
    latency_p99_ms: float = 0.0

    @property
    def outage_seconds(self) -> float:
        """From the first to the last failed request (0 without failures)."""
        if self.first_failure is None:
            return 0.0
        return self.last_failure - self.first_failure

    @property
    def rate(self) -> float:
        """Requests per second over the counted span."""
        return self.total / self.seconds if self.seconds > 0 else 0.0

    def line(self, event: str) -> str:
        """One printable line of counts."""
        kinds = ", ".join(f"{k} x{v}" for k, v in sorted(self.errors.items(), key=lambda kv: -kv[1])[:3])
        return (f"{event}: {self.failed} of {self.total} requests failed"
                + (f" over {self.outage_seconds:.1f}s ({kinds})" if self.failed else "")
                + f" [{self.seconds:.1f}s at {self.rate:.0f}/s, latency p50 {self.latency_p50_ms:.0f} ms"
                  f" p99 {self.latency_p99_ms:.0f} ms]")


def _percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return 0.0
    return sorted_values[min(len(sorted_values) - 1, int(fraction * len(sorted_values)))]


def _windows_of(results: list, windows: list) -> list[list]:
    """The results split by the window they started in (for the time each window spans)."""
    return [[r for r in results if (since is None or r[0] >= since) and (until is None or r[0] < until)]
            for since, until in windows]


def _blamed_hop(body: bytes) -> str:
    """" (hop: reason)" from a chain service's error body, or "" when it names none."""
    try:
        fields = json.loads(body)
    except ValueError:
        return ""
    if not isinstance(fields, dict) or not fields.get("failed_hop"):
        return ""
    return f" ({fields['failed_hop']}: {fields.get('reason', '?')})"


class LoadClient:
    """`workers` threads, each sending `GET /` to host:port on a new connection every `interval` seconds.

    The workers start spread over one interval, so the requests arrive evenly; all feed one report.
    """

    def __init__(self, port: int, host: str = "127.0.0.1", interval: float = 0.02, timeout: float = 3.0,
                 workers: int = 1):
        if workers < 1:
            raise ValueError(f"a load client needs at least one worker, got {workers}")
        self.host, self.port, self.interval, self.timeout = host, port, interval, timeout
        # (started, ok, detail, seconds taken), in the order requests ended
        self._results: list[tuple[float, bool, str, float]] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._loop, args=(number * interval / workers,),
                                          name=f"load-client-{number}", daemon=True) for number in range(workers)]

    def __enter__(self) -> "LoadClient":
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop sending and wait for the requests in flight."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=self.timeout + 2)

    def _loop(self, offset: float) -> None:
        if self._stop.wait(offset):
            return
        while not self._stop.is_set():
            started = time.monotonic()
            ok, detail = self._one()
            took = time.monotonic() - started
            with self._lock:
                self._results.append((started, ok, detail, took))
            self._stop.wait(max(0.0, self.interval - took))

    def _one(self) -> tuple[bool, str]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        # The chain's deadline header: order answers 502 naming the hop that ran out of time before we give up.
        budget_ms = str(int(self.timeout * 1000))
        try:
            connection.request("GET", "/", headers={"Connection": "close", "X-Request-Timeout-Ms": budget_ms})
            response = connection.getresponse()
            body = response.read()
            if response.status == 200:
                return True, "HTTP 200"
            return False, f"HTTP {response.status}" + _blamed_hop(body)
        except (OSError, http.client.HTTPException) as exc:
            return False, type(exc).__name__
        finally:
            connection.close()

    def report(self, since: float | None = None, until: float | None = None) -> LoadReport:
        """Counts so far (optionally only of requests started at or after `since`, before `until`)."""
        return self.report_over([(since, until)])

    def report_over(self, windows: list[tuple[float | None, float | None]]) -> LoadReport:
        """One report of the requests started in any of the (since, until) windows (None: open)."""
        def inside(started: float) -> bool:
            return any((since is None or started >= since) and (until is None or started < until)
                       for since, until in windows)
        with self._lock:
            results = sorted(r for r in self._results if inside(r[0]))
        failures = [r for r in results if not r[1]]
        errors: dict[str, int] = {}
        for _, _, detail, _ in failures:
            errors[detail] = errors.get(detail, 0) + 1
        latencies = sorted(r[3] * 1000 for r in results if r[1])
        seconds = sum(max(r[0] + r[3] for r in part) - part[0][0]
                      for part in _windows_of(results, windows) if part)
        return LoadReport(len(results), len(failures), failures[0][0] if failures else None,
                          failures[-1][0] if failures else None, errors, seconds,
                          _percentile(latencies, 0.5), _percentile(latencies, 0.99))

    def wait_requests(self, count: int, timeout: float = 30.0) -> None:
        """Block until at least `count` requests were made (so a test has a baseline)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self._results) >= count:
                    return
            time.sleep(0.05)
        raise AssertionError(f"the load client made fewer than {count} requests in {timeout}s")
