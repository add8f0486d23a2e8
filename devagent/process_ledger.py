"""A record of every process group devagent started, so a restart can reap leftovers."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path


def process_start_ticks(pid: int) -> int | None:
    """The process start time in clock ticks from /proc, or None if it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name may contain spaces and parentheses: split after the last ')'.
    fields = stat.rsplit(")", 1)[1].split()
    return int(fields[19])


class ProcessLedger:
    """processes.json in the data dir: pid, pgid and start time of each live process group."""

    def __init__(self, data_dir: Path):
        self.path = Path(data_dir) / "processes.json"
        self._lock = threading.Lock()
        self._records: dict[int, dict] = {}
        self._reaped = False

    def add(self, pid: int, label: str) -> None:
        """Record a process started with start_new_session (its pgid is its pid)."""
        with self._lock:
            self._records[pid] = {"pid": pid, "pgid": pid, "start": process_start_ticks(pid), "label": label}
            self._write()

    def remove(self, pid: int) -> None:
        """Forget a process that has been reaped."""
        with self._lock:
            if self._records.pop(pid, None) is not None:
                self._write()

    def _write(self) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(list(self._records.values())))
        os.replace(tmp, self.path)

    def kill_remaining(self) -> list[str]:
        """SIGKILL the task process groups of this run still recorded (at shutdown, once the stop bound passed).

        A process whose start time changed is not ours any more and is left alone.
        """
        with self._lock:
            records = [r for r in self._records.values() if r["label"].startswith("task ")]
        killed = []
        for record in records:
            if record.get("start") is not None and process_start_ticks(record["pid"]) == record["start"]:
                _signal_group(record["pgid"], signal.SIGKILL)
                killed.append(f"{record['label']} (pid {record['pid']})")
        return killed

    def reap_previous_run(self, grace: float = 3.0) -> list[str]:
        """Kill the process groups a previous run left behind (only if still the same processes).

        Only the first call does anything: later ones must not touch this run's records.
        """
        if self._reaped:
            return []
        self._reaped = True
        try:
            records = json.loads(self.path.read_text())
        except (OSError, ValueError):
            return []
        survivors = [r for r in records if r.get("start") is not None and process_start_ticks(r["pid"]) == r["start"]]
        for record in survivors:
            _signal_group(record["pgid"], signal.SIGTERM)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and any(process_start_ticks(r["pid"]) == r["start"] for r in survivors):
            time.sleep(0.05)
        for record in survivors:
            _signal_group(record["pgid"], signal.SIGKILL)
        self.path.unlink(missing_ok=True)
        return [f"{r['label']} (pid {r['pid']})" for r in survivors]


def _signal_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass
