"""Allocation health for deployments (client/allochealth): checks and tasks, min_healthy_time, deadline."""

from __future__ import annotations

import threading
import time
from typing import Callable

from devagent import task_events as ev
from devagent.consul_client import ConsulError
from devagent.durations import format_go_duration
from devagent.jobmodel import task_group, update_strategy
from devagent.state import now_rfc3339

POLL_SECONDS = 0.25
IDLE_RECHECK_SECONDS = 5.0  # a safety net only: between deployments the watcher is woken by touches


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
        # Between deployments, woken when the scheduler touches the allocation (a new deployment is
        # attached that way) rather than polling: a hundred idle allocations polled 400 times a second
        touched = self.ctx.store.touch_event(self.runner.alloc_id)
        try:
            while not self.runner.stopping.is_set():
                touched.clear()
                try:
                    deployment_id, strategy = self._pending_deployment()
                    if deployment_id and strategy:
                        self._track(deployment_id, strategy)
                        continue
                except Exception as exc:  # noqa: BLE001 - a health watcher must keep watching
                    self.ctx.log(f"alloc {self.runner.alloc_id[:8]}: health: {type(exc).__name__}: {exc}")
                    self.runner.stopping.wait(POLL_SECONDS)
                touched.wait(IDLE_RECHECK_SECONDS)
        finally:
            self.ctx.store.forget_touch_event(self.runner.alloc_id)

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
            alloc_deployment, tasks, ephemeral = self._alloc_view()
            if alloc_deployment != deployment_id:
                return
            if any(t["Failed"] for t in tasks.values()):
                self._set_health(deployment_id, False, checks_passing=None)
                return
            checks_ok = self._checks_passing() if use_checks else True
            now = time.monotonic()
            if tasks_up(tasks, ephemeral) and checks_ok:
                healthy_since = healthy_since or now
                if now - healthy_since >= min_healthy:
                    self._set_health(deployment_id, True)
                    return
            else:
                healthy_since = None
            if now >= deadline:
                self._set_health(deployment_id, False, checks_passing=checks_ok)
                return
            self.runner.stopping.wait(POLL_SECONDS)

    def _alloc_view(self) -> tuple[str | None, dict, set[str]]:
        """The alloc's deployment, a copy of its task states and its ephemeral tasks, read under one lock."""
        with self.ctx.store.lock:
            alloc = self.ctx.store.allocs.get(self.runner.alloc_id) or {}
            states = {name: dict(state) for name, state in (alloc.get("TaskStates") or {}).items()}
            return alloc.get("DeploymentID"), states, ephemeral_tasks(alloc)

    def _checks_passing(self) -> bool:
        ids = self.service_ids()
        try:
            checks = self.ctx.consul.checks(max_age=POLL_SECONDS)
        except (ConsulError, ValueError):
            return False
        ours = [c for c in checks.values() if c.get("ServiceID") in ids]
        return all(c.get("Status") == "passing" for c in ours)

    def _set_health(self, deployment_id: str, healthy: bool, checks_passing: bool | None = None) -> None:
        def apply(alloc: dict) -> None:
            if alloc.get("DeploymentID") != deployment_id or (alloc.get("DeploymentStatus") or {}).get("Healthy") is not None:
                return
            if healthy:
                alloc["DeploymentStatus"] = deployment_status(True, self.ctx.store.index + 1, was_canary(alloc))
            else:
                mark_unhealthy(alloc, checks_passing, self.ctx.store.index + 1)
        self.runner.update_alloc(apply)


def deployment_status(healthy: bool, modify_index: int, canary: bool = False) -> dict:
    """An AllocDeploymentStatus."""
    return {"Healthy": healthy, "Timestamp": now_rfc3339(), "Canary": canary, "ModifyIndex": modify_index}


def was_canary(alloc: dict) -> bool:
    """Whether the allocation was placed as a canary (its health does not change that)."""
    return bool((alloc.get("DeploymentStatus") or {}).get("Canary"))


def ephemeral_tasks(alloc: dict) -> set[str]:
    """Lifecycle tasks that may end (prestart/poststart, not sidecars): dead and not failed is fine for them."""
    group = task_group(alloc.get("Job", {}), alloc.get("TaskGroup")) or {}
    return {t["Name"] for t in group.get("Tasks") or []
            if (t.get("Lifecycle") or {}).get("Hook") and not t["Lifecycle"].get("Sidecar")}


def tasks_up(tasks: dict, ephemeral: set[str]) -> bool:
    """Every task running (ephemeral lifecycle tasks may have finished successfully)."""
    return bool(tasks) and all(t["State"] == "running" or (name in ephemeral and t["State"] == "dead" and not t["Failed"])
                               for name, t in tasks.items())


def mark_unhealthy(alloc: dict, checks_passing: bool | None, modify_index: int) -> None:
    """Set Healthy false and give each task that explains it an `Alloc Unhealthy` event (allochealth's texts)."""
    group = next(g for g in alloc["Job"]["TaskGroups"] if g["Name"] == alloc["TaskGroup"])
    strategy = update_strategy(alloc["Job"], group) or {"HealthyDeadline": 0}
    limit = format_go_duration(strategy["HealthyDeadline"])
    ephemeral = ephemeral_tasks(alloc)
    alloc["DeploymentStatus"] = deployment_status(False, modify_index, was_canary(alloc))
    for name, state in alloc["TaskStates"].items():
        if state["Failed"]:
            reason = "Unhealthy because of failed task"
        elif state["State"] == "pending":
            reason = f"Task not running by healthy_deadline of {limit}"
        elif state["State"] == "dead" and name not in ephemeral:
            reason = "Unhealthy because of dead task"
        elif state["State"] == "running" and checks_passing is False:
            reason = "Services not healthy by deadline"
        else:
            continue
        ev.append_event(state, ev.task_event(ev.ALLOC_UNHEALTHY, reason))
