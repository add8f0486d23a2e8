"""A blocking query on Consul's intention list in its own process: when Consul itself answered each change.

`python -m bench.consul_watch URL` prints `ready` once it knows the list's index, then the wall-clock
time of every change of that index, one per line. The deny delay at scale is split with it into
Consul's part and the rest (devagent's push and Envoy's apply).
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
import urllib.request

WAIT = "60s"
READY = "ready"


def watch(url: str) -> None:
    """Print `ready`, then a timestamp for every change of the intentions' index, until killed."""
    index = 0
    while True:
        try:
            with urllib.request.urlopen(f"{url}/v1/connect/intentions?index={index}&wait={WAIT}", timeout=70) as answer:
                answer.read()
                changed = int(answer.headers["X-Consul-Index"])
        except (OSError, ValueError, KeyError):
            time.sleep(0.2)
            continue
        if not index:
            print(READY, flush=True)
        elif changed != index:
            print(f"{time.time():.6f}", flush=True)
        index = changed


class IntentionWatch:
    """Runs the watch in a subprocess and collects the wall-clock times of the changes it saw."""

    def __init__(self, consul_url: str, ready_timeout: float = 10.0):
        self.process = subprocess.Popen([sys.executable, "-m", "bench.consul_watch", consul_url],
                                        stdout=subprocess.PIPE, text=True)
        self._ready = threading.Event()
        self._answers: list[float] = []
        self._reader = threading.Thread(target=self._read, name="consul-watch-reader", daemon=True)
        self._reader.start()
        if not self._ready.wait(ready_timeout):
            self.stop()
            raise TimeoutError(f"the intentions watch on {consul_url} got no answer in {ready_timeout:g} s")

    def _read(self) -> None:
        for line in self.process.stdout:
            if line.strip() == READY:
                self._ready.set()
            elif line.strip():
                self._answers.append(float(line))

    def answers(self) -> list[float]:
        """Wall-clock times of the changes seen so far."""
        return list(self._answers)

    def first_answer_after(self, wall_time: float, horizon: float = 1.0) -> float | None:
        """The wall-clock time of the first change answered after wall_time (None: none within horizon)."""
        return next((t for t in self.answers() if wall_time <= t <= wall_time + horizon), None)

    def stop(self) -> None:
        """Kill the watch; what it printed stays."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)
        self._reader.join(timeout=5)

    def __enter__(self) -> "IntentionWatch":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


if __name__ == "__main__":
    watch(sys.argv[1])
