"""The live view of an apply: per job its stage, healthy/desired allocations, elapsed time."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

FINAL_STAGES = ("done", "unchanged", "failed", "interrupted")


@dataclass
class JobProgress:
    """Where one job is in the pipeline."""

    job: str
    stage: str = "waiting"
    healthy: int = 0
    desired: int = 0
    note: str = ""
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None

    def elapsed(self) -> float:
        """Seconds since the job's pipeline started (frozen once it finished)."""
        return (self.finished or time.monotonic()) - self.started

    def text(self) -> str:
        """One aligned line."""
        counts = f"{self.healthy}/{self.desired}" if self.desired else "-"
        note = f"  {self.note}" if self.note else ""
        return f"{self.job:<12} {self.stage:<12} {counts:>5}  {self.elapsed():5.1f}s{note}"


class ProgressView:
    """Redraws the job lines in place on a TTY; prints a line per change otherwise."""

    def __init__(self, console, jobs: list[str], redraw_interval: float = 0.2):
        self.console = console
        self.jobs = {name: JobProgress(name) for name in jobs}
        self.lock = threading.Lock()
        self.live = console.is_tty
        self.interval = redraw_interval
        self._drawn = 0
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    def start(self) -> "ProgressView":
        """Begin redrawing (on a TTY)."""
        if self.live:
            self._ticker = threading.Thread(target=self._tick, daemon=True)
            self._ticker.start()
        return self

    def update(self, job: str, stage: str | None = None, healthy: int | None = None,
               desired: int | None = None, note: str | None = None) -> None:
        """Record a change; in plain mode print it when the stage or counts changed."""
        with self.lock:
            entry = self.jobs[job]
            before = (entry.stage, entry.healthy, entry.desired)
            if stage == "waiting" or (entry.stage == "waiting" and stage):
                entry.started = time.monotonic()
            entry.stage = stage or entry.stage
            entry.healthy = entry.healthy if healthy is None else healthy
            entry.desired = entry.desired if desired is None else desired
            entry.note = entry.note if note is None else note
            if entry.stage in FINAL_STAGES and entry.finished is None:
                entry.finished = time.monotonic()
            if not self.live and (entry.stage, entry.healthy, entry.desired) != before:
                self.console.line(entry.text())

    def stop(self) -> None:
        """Stop redrawing and leave the final lines on screen."""
        self._stop.set()
        if self._ticker:
            self._ticker.join()
            self._draw()

    def _tick(self) -> None:
        while not self._stop.wait(self.interval):
            self._draw()

    def _draw(self) -> None:
        with self.lock:
            lines = [entry.text() for entry in self.jobs.values()]
            up = f"\033[{self._drawn}F" if self._drawn else ""
            self.console.out.write(up + "".join(f"\033[2K{line}\n" for line in lines))
            self.console.out.flush()
            self._drawn = len(lines)
