"""Keep Consul's registrations of running allocations in place, as Nomad's client does.

Nomad re-syncs its services and checks with the local Consul agent periodically (~30 s) and
after the agent comes back. devagent polls the agent every second (one cheap GET of its
services), and every 0.2 s while the agent does not answer, so a restarted Consul (dev mode keeps
nothing) is registered again as soon as it answers, and a service someone deregistered within a
second, sidecar and checks included. The same pass swaps a
canary's tags for `canary_tags` (and back once it is promoted), as Nomad's client does.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Callable

from devagent.consul_client import ConsulError
from devagent.jobmodel import group_services, task_group, task_services
from devagent.service_registration import NODE_MARKER, has_sidecar

POLL_SECONDS = 1.0
DOWN_POLL_SECONDS = 0.2  # while the agent does not answer: its return is what the mesh waits for
FULL_SYNC_SECONDS = 30.0


@dataclass
class LiveRegistration:
    """One service an allocation registered, and what the allocation is now."""

    alloc_id: str
    payload: dict  # what the alloc runner registered
    canary: bool  # the allocation is an unpromoted canary
    service: dict | None  # the job's service block it came from
    still_wanted: Callable[[], bool]  # False once the allocation is being stopped


def desired_payload(reg: LiveRegistration) -> dict:
    """The registration as it should be now: canary_tags/canary_meta while the allocation is a canary."""
    service = reg.service or {}
    payload = dict(reg.payload)
    if reg.canary and service.get("CanaryTags"):
        payload["Tags"] = list(service["CanaryTags"])
    if reg.canary and service.get("CanaryMeta"):
        payload["Meta"] = {**service["CanaryMeta"], "external-source": "nomad",
                           NODE_MARKER: (reg.payload.get("Meta") or {}).get(NODE_MARKER, "")}
    return payload


def job_service_for(alloc: dict, payload: dict) -> dict | None:
    """The job's service block a registration payload was built from (by name)."""
    group = task_group(alloc.get("Job") or {}, alloc.get("TaskGroup")) or {}
    services = list(group_services(group)) + [s for t in group.get("Tasks") or [] for s in task_services(t)]
    return next((s for s in services if s.get("Name") == payload.get("Name")), None)


def drift(payload: dict, services: dict, checks: dict | None) -> str | None:
    """Why Consul's view differs from the payload (missing service, sidecar, check or tags), or None."""
    current = services.get(payload["ID"])
    if current is None:
        return "service missing"
    if has_sidecar(payload) and payload["ID"] + "-sidecar-proxy" not in services:
        return "sidecar missing"
    if sorted(current.get("Tags") or []) != sorted(payload.get("Tags") or []):
        return "tags changed"
    if checks is not None and any(c.get("CheckID") not in checks for c in payload.get("Checks") or []):
        return "check missing"
    return None


class ConsulResync:
    """A background thread that re-registers what Consul lost (restart, deregistration) or what changed."""

    name = "consul-resync"

    def __init__(self, ctx, registrations: Callable[[], list[LiveRegistration]],
                 poll_seconds: float = POLL_SECONDS, full_sync_seconds: float = FULL_SYNC_SECONDS,
                 down_poll_seconds: float = DOWN_POLL_SECONDS, on_ca_change: Callable[[], None] | None = None):
        self.ctx = ctx
        self.registrations = registrations
        self.on_ca_change = on_ca_change  # called when restored registrations meet a new Connect CA
        self._ca_root: str | None = None
        self.poll_seconds = poll_seconds
        self.down_poll_seconds = down_poll_seconds
        self.full_sync_seconds = full_sync_seconds
        self.restored = 0  # registrations written again, for tests and logs
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=self.name, daemon=True)
        self._consul_was_down = False

    def start(self) -> None:
        """Start syncing."""
        self._thread.start()

    def stop(self) -> None:
        """Stop syncing and wait for the thread."""
        self._stop.set()
        self._thread.join(timeout=5)

    def _loop(self) -> None:
        last_full = time.monotonic()
        while not self._stop.wait(self.next_wait()):
            full = time.monotonic() - last_full >= self.full_sync_seconds
            try:
                self.sync_once(full)
                if full:
                    last_full = time.monotonic()
            except Exception as exc:  # noqa: BLE001 - the resync must outlive any one failure
                self.ctx.log(f"{self.name}: {type(exc).__name__}: {exc}")

    def next_wait(self) -> float:
        """Seconds until the next pass: short while the agent is down, so its return is noticed at once."""
        return self.down_poll_seconds if self._consul_was_down else self.poll_seconds

    def sync_once(self, full: bool = False) -> list[str]:
        """One pass: returns the IDs of the services registered again."""
        # What the allocations registered is read before Consul's view: a registration completed
        # between the two reads would otherwise look lost and be written again (checks and all)
        wanted = self.registrations()
        try:
            services = self.ctx.consul.services()
            checks = self.ctx.consul.checks() if full else None
        except (ConsulError, ValueError):
            if not self._consul_was_down:
                self.ctx.log(f"{self.name}: Consul agent at {self.ctx.consul.http_addr} does not answer; "
                             "registrations will be restored when it is back")
            self._consul_was_down = True
            return []
        lost = [(reg, payload, reason) for reg in wanted
                for payload in [desired_payload(reg)] for reason in [drift(payload, services, checks)]
                if reason is not None and reg.still_wanted()]
        if lost and not self.ctx.consul.alive():
            # A restarted agent answers before it has a leader; what is registered then reaches the
            # catalog (what the sidecars read) only at a later sync, so wait for the leader first.
            self._consul_was_down = True
            return []
        came_back, self._consul_was_down = self._consul_was_down, False
        restored = []
        for reg, payload, reason in lost:
            try:
                self.ctx.consul.register_service(payload)
            except ConsulError as exc:
                self.ctx.log(f"{self.name}: re-register {payload['ID']}: {exc}")
                continue
            if not reg.still_wanted():
                # The allocation began to stop while we registered: take it out again (sidecar first).
                self._deregister(payload)
                continue
            restored.append(payload["ID"])
            if reason != "tags changed":
                self.ctx.log(f"{self.name}: alloc {reg.alloc_id[:8]}: registered {payload['ID']} again ({reason})")
        if came_back and restored:
            self.ctx.log(f"{self.name}: Consul agent is back; restored {len(restored)} registration(s)")
        if came_back or self._ca_root is None or any(reason != "tags changed" for _, _, reason in lost):
            self._check_ca()
        self.restored += len(restored)
        return restored

    def _check_ca(self) -> None:
        """Note the active Connect CA root; a different one than before (a restarted dev agent) is reported."""
        try:
            root = (self.ctx.consul.client.call("GET", "/v1/agent/connect/ca/roots") or {}).get("ActiveRootID")
        except ConsulError:
            return
        changed = bool(root and self._ca_root and root != self._ca_root)
        self._ca_root = root or self._ca_root
        if changed and self.on_ca_change is not None:
            self.ctx.log(f"{self.name}: Consul's CA changed (active root {root}); sidecars get certificates of the new CA")
            self.on_ca_change()

    def _deregister(self, payload: dict) -> None:
        ids = ([payload["ID"] + "-sidecar-proxy"] if has_sidecar(payload) else []) + [payload["ID"]]
        for service_id in ids:
            try:
                self.ctx.consul.deregister_service(service_id)
            except ConsulError as exc:
                self.ctx.log(f"{self.name}: deregister {service_id}: {exc}")


def live_registrations(store, runners: dict) -> list[LiveRegistration]:
    """The registrations of every allocation that runs and is meant to keep running."""
    out = []
    for alloc_id, runner in list(runners.items()):
        if runner.stopping.is_set() or runner.done.is_set():
            continue
        with store.lock:
            alloc = store.allocs.get(alloc_id)
            if alloc is None or alloc["DesiredStatus"] != "run":
                continue
            canary = bool((alloc.get("DeploymentStatus") or {}).get("Canary"))
            payloads = list(runner.group_registrations) + [p for ps in list(runner.task_registrations.values()) for p in ps]
            services = [job_service_for(alloc, p) for p in payloads]

        def still_wanted(runner=runner, alloc_id=alloc_id) -> bool:
            with store.lock:
                alloc = store.allocs.get(alloc_id)
                return not runner.stopping.is_set() and alloc is not None and alloc["DesiredStatus"] == "run"
        out += [LiveRegistration(alloc_id, p, canary, s, still_wanted) for p, s in zip(payloads, services)]
    return out
