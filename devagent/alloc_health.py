"""Allocation health for deployments (client/allochealth): checks and tasks, min_healthy_time, deadline."""

from __future__ import annotations

import threading
import time
from typing import Callable

from devagent import task_events as ev
from devagent.consul_api import ConsulError
from devagent.durations import format_go_duration
from devagent.jobmodel import update_strategy
from devagent.state import now_rfc3339

POLL_SECONDS = 0.25


class AllocHealthWatcher:
    """Sets DeploymentStatus.Healthy once per deployment the allocation belongs to."""

    def __init__(self, runner, service_ids: Callable[[], set[str]]):
        self.runner = runner
        self.ctx = runner.ctx
        self.service_ids = service_ids
        self._thread = threading.Thread(target=self._loop, name=f"health-{runner.alloc_id[:8]}", daemon=True)

    def start(self) -> None:
        """Watch in a background thread until the runner stops."""
        self._thread.start()

    def _loop(self) -> None:
        while not self.runner.stopping.is_set():
            deployment_id, strategy = self._pending_deployment()
            if deployment_id and strategy:
                self._track(deployment_id, strategy)
            else:
                self.runner.stopping.wait(POLL_SECONDS)

    def _pending_deployment(self) -> tuple[str | None, dict | None]:
        with self.ctx.store.lock:
            alloc = self.ctx.store.allocs.get(self.runner.alloc_id)
            if not alloc or not alloc.get("DeploymentID") or alloc["DesiredStatus"] != "run":
                return None, None
            if (alloc.get("DeploymentStatus") or {}).get("Healthy") is not None:
                return None, None
            group = next(g for g in alloc["Job"]["TaskGroups"] if g["Name"] == alloc["TaskGroup"])
            return alloc["DeploymentID"], update_strategy(alloc["Job"], group)

    def _track(self, deployment_id: str, strategy: dict) -> None:
        """Poll until healthy, unhealthy, a new deployment, or stop."""
        started = time.monotonic()
        deadline = started + strategy["HealthyDeadline"] / 1e9
        min_healthy = strategy["MinHealthyTime"] / 1e9
        use_checks = strategy["HealthCheck"] == "checks"
        healthy_since = None
        while not self.runner.stopping.is_set():
            alloc_deployment, tasks = self._alloc_view()
            if alloc_deployment != deployment_id:
                return
            if any(t["Failed"] for t in tasks.values()):
                self._set_health(deployment_id, False, "Unhealthy because of failed task")
                return
            tasks_running = bool(tasks) and all(t["State"] == "running" for t in tasks.values())
            checks_ok = self._checks_passing() if use_checks else True
            now = time.monotonic()
            if tasks_running and checks_ok:
                healthy_since = healthy_since or now
                if now - healthy_since >= min_healthy:
                    self._set_health(deployment_id, True, "")
                    return
            else:
                healthy_since = None
            if now >= deadline:
                limit = format_go_duration(strategy["HealthyDeadline"])
                reason = (f"Task not running by healthy_deadline of {limit}" if not tasks_running
                          else "Services not healthy by deadline")
                self._set_health(deployment_id, False, reason)
                return
            self.runner.stopping.wait(POLL_SECONDS)

    def _alloc_view(self) -> tuple[str | None, dict]:
        with self.ctx.store.lock:
            alloc = self.ctx.store.allocs.get(self.runner.alloc_id) or {}
            states = {name: dict(state) for name, state in (alloc.get("TaskStates") or {}).items()}
            return alloc.get("DeploymentID"), states

    def _checks_passing(self) -> bool:
        ids = self.service_ids()
        try:
            checks = self.ctx.consul.checks()
        except ConsulError:
            return False
        ours = [c for c in checks.values() if c.get("ServiceID") in ids]
        return all(c.get("Status") == "passing" for c in ours)

    def _set_health(self, deployment_id: str, healthy: bool, reason: str) -> None:
        def apply(alloc: dict) -> None:
            if alloc.get("DeploymentID") != deployment_id:
                return
            alloc["DeploymentStatus"] = {"Healthy": healthy, "Timestamp": now_rfc3339(), "Canary": False,
                                         "ModifyIndex": self.ctx.store.index + 1}
            if not healthy and reason:
                for state in alloc["TaskStates"].values():
                    ev.append_event(state, ev.task_event(ev.ALLOC_UNHEALTHY, reason, GenericSource="Alloc Unhealthy"))
        self.runner.update_alloc(apply)
