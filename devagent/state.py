"""In-memory state with one raft-like index and blocking waits on it."""

from __future__ import annotations

import copy
import threading
import time
import uuid


def now_ns() -> int:
    """Wall clock in Unix nanoseconds, as Nomad stores times."""
    return time.time_ns()


def rfc3339(ns: int) -> str:
    """Go's time.Time JSON form (UTC, nanoseconds), as Nomad writes StartedAt or Timestamp."""
    seconds, frac = divmod(ns, 1_000_000_000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{frac:09d}Z"


def now_rfc3339() -> str:
    """The current time as Go's time.Time JSON."""
    return rfc3339(now_ns())


def new_id() -> str:
    """A Nomad-style UUID."""
    return str(uuid.uuid4())


class Store:
    """Jobs, versions, evaluations, allocations and deployments, guarded by one lock.

    Every write bumps `index` and wakes blocking readers. Callers mutate the dicts
    inside `with store.lock:` and call `touch()` on what they changed.
    """

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self.index = 1
        self.jobs: dict[str, dict] = {}
        self.job_versions: dict[str, dict[int, dict]] = {}
        self.evals: dict[str, dict] = {}
        self.allocs: dict[str, dict] = {}
        self.deployments: dict[str, dict] = {}
        self.scaling_policies: dict[tuple, dict] = {}  # (namespace, job, group, task, type) -> policy
        self._touch_events: dict[str, threading.Event] = {}  # object ID -> set whenever it is touched

    def next_index(self) -> int:
        """Advance the index and wake every blocking query."""
        with self.lock:
            self.index += 1
            self.changed.notify_all()
            return self.index

    def touch(self, obj: dict, create: bool = False) -> int:
        """Stamp obj with a new ModifyIndex/ModifyTime (and Create* when create)."""
        with self.lock:
            index = self.next_index()
            stamp = now_ns()
            obj["ModifyIndex"] = index
            if "ModifyTime" in obj or create:
                obj["ModifyTime"] = stamp
            if create:
                obj["CreateIndex"] = index
                if "CreateTime" in obj:
                    obj["CreateTime"] = stamp
            event = self._touch_events.get(obj.get("ID"))
            if event is not None:
                event.set()
            return index

    def touch_event(self, obj_id: str) -> threading.Event:
        """An event set every time the object with this ID is touched (one waiter per object, no herd)."""
        with self.lock:
            return self._touch_events.setdefault(obj_id, threading.Event())

    def forget_touch_event(self, obj_id: str) -> None:
        """Stop tracking touches of this object."""
        with self.lock:
            self._touch_events.pop(obj_id, None)

    def wait_for_change(self, min_index: int, timeout: float) -> int:
        """Block until index > min_index or timeout; return the current index."""
        with self.lock:
            self.changed.wait_for(lambda: self.index > min_index, timeout)
            return self.index

    def snapshot(self, obj):
        """A deep copy of obj taken under the lock, safe to serialize."""
        with self.lock:
            return copy.deepcopy(obj)
