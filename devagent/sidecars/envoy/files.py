"""Atomic file replacement, the only way Envoy's watched directories notice a change."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path


def ensure_private_dir(path: Path) -> None:
    """Create `path` (and parents) with mode 0700."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path, 0o700)


def atomic_write_json(path: Path, data: dict, mode: int = 0o600) -> None:
    """Write JSON to a temp file in the same directory, fsync it, and rename it over `path`."""
    ensure_private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w") as out:
            json.dump(data, out, indent=1, sort_keys=True)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
