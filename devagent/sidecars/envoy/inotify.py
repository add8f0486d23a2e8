"""Envoy watches each file-based resource with its own inotify instance: check enough are left."""

from __future__ import annotations

import os
from pathlib import Path

LIMIT_FILE = Path("/proc/sys/fs/inotify/max_user_instances")
BASE_INSTANCES = 5  # listeners, clusters, RBAC, leaf, roots; plus one endpoints file per upstream


class InotifyExhausted(RuntimeError):
    """Starting one more Envoy would exceed the user's inotify instance limit."""


def instances_needed(upstream_count: int) -> int:
    """inotify instances one Envoy sidecar holds."""
    return BASE_INSTANCES + upstream_count


def instance_limit() -> int | None:
    """fs.inotify.max_user_instances, or None where it cannot be read."""
    try:
        return int(LIMIT_FILE.read_text())
    except (OSError, ValueError):
        return None


def instances_in_use(uid: int | None = None) -> int:
    """inotify instances held by the processes of uid (default: this process's user)."""
    uid = os.getuid() if uid is None else uid
    count = 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if proc.stat().st_uid != uid:
                continue
            count += sum(1 for fd in (proc / "fd").iterdir() if os.readlink(fd) == "anon_inode:inotify")
        except OSError:  # the process ended, or its fds are not ours to read
            continue
    return count


def check_inotify_budget(upstream_count: int) -> None:
    """Raise InotifyExhausted, with what to do, when another Envoy would not get its watches."""
    limit = instance_limit()
    if limit is None:
        return
    needed, used = instances_needed(upstream_count), instances_in_use()
    if used + needed > limit:
        raise InotifyExhausted(
            f"an Envoy sidecar needs {needed} inotify instances but {used} of the {limit} allowed "
            f"(fs.inotify.max_user_instances) are in use: raise it (sysctl fs.inotify.max_user_instances=1024) "
            f"or run devagent with -sidecar builtin")
