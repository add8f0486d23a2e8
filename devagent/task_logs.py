"""Task logs as Nomad keeps them: <task>.<stdout|stderr>.N, a new file past the size limit, the oldest dropped."""

from __future__ import annotations

import re
import threading
from pathlib import Path

MIB = 1024 * 1024
READ_CHUNK = 64 * 1024


def log_files(directory: Path, task: str, kind: str) -> list[Path]:
    """The existing log files of one stream, oldest (lowest index) first."""
    pattern = re.compile(rf"^{re.escape(task)}\.{kind}\.(\d+)$")
    found = [(int(m.group(1)), path) for path in directory.glob(f"{task}.{kind}.*")
             if (m := pattern.match(path.name))]
    return [path for _, path in sorted(found)]


class RotatingLog:
    """One stream of one task; survives restarts of the task, appending to the newest file."""

    def __init__(self, directory: Path, task: str, kind: str, max_files: int = 10, max_file_mb: int = 10):
        self.directory = Path(directory)
        self.task = task
        self.kind = kind
        self.max_files = max(1, max_files)
        self.max_bytes = max(1, max_file_mb) * MIB
        self._lock = threading.Lock()
        existing = log_files(self.directory, task, kind)
        self.index = int(existing[-1].name.rsplit(".", 1)[1]) if existing else 0

    @property
    def current(self) -> Path:
        """The file being written now."""
        return self.directory / f"{self.task}.{self.kind}.{self.index}"

    def write(self, data: bytes) -> None:
        """Append data, starting the next file whenever the current one is full."""
        with self._lock:
            while data:
                size = self.current.stat().st_size if self.current.exists() else 0
                if size >= self.max_bytes:
                    self._rotate()
                    size = 0
                room = self.max_bytes - size
                with open(self.current, "ab") as out:
                    out.write(data[:room])
                data = data[room:]

    def _rotate(self) -> None:
        self.index += 1
        for old in log_files(self.directory, self.task, self.kind)[:-(self.max_files - 1) or None]:
            old.unlink(missing_ok=True)

    def pump(self, stream) -> threading.Thread:
        """Copy a process's pipe into the log until it closes, in a daemon thread."""
        def copy() -> None:
            with stream:
                while chunk := stream.read1(READ_CHUNK):
                    self.write(chunk)
        thread = threading.Thread(target=copy, name=f"log-{self.task}-{self.kind}", daemon=True)
        thread.start()
        return thread
