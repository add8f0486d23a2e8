"""A Consul TTL check per sidecar that fails while its Envoy rejects its configuration.

Nomad shows allocation health through task events and Consul checks; `deployer status` reads
the checks of `<service>-sidecar-proxy`. One thread per Consul agent registers, updates and
refreshes the checks of every sidecar, so the gRPC loop that learns of an ACK or NACK never
waits on Consul.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from typing import Callable

from .consul_api import ConsulConnection, ConsulError

log = logging.getLogger(__name__)

CHECK_NAME = "Envoy Configuration"
CHECK_TTL_SECONDS = 120
REFRESH_SECONDS = 40  # a third of the TTL: a live devagent never lets a check expire
RETRY_SECONDS = 2.0  # for a check Consul could not take


CHECK_ID_SUFFIX = ":envoy-config"


def config_check_id(sidecar_service_id: str) -> str:
    """The ID of a sidecar's configuration check."""
    return sidecar_service_id + CHECK_ID_SUFFIX


class CheckReporter:
    """Owns the configuration checks of one Consul agent; all Consul calls run on its own thread.

    Nothing here blocks a sidecar's start: a check Consul cannot take now (overloaded, or its
    service not registered again yet) is retried every few seconds until it is.
    """

    def __init__(self, http_addr: str, token: str = ""):
        self.http_addr = http_addr
        self.token = token
        self._tasks: queue.Queue = queue.Queue()
        self._statuses: dict[str, tuple[str, str]] = {}  # check ID -> (status, output), refreshed
        self._services: dict[str, str] = {}  # check ID -> the sidecar service it belongs to
        self._unregistered: set[str] = set()  # checks Consul does not have (yet, or any more)
        self._connection = ConsulConnection(http_addr, token)
        self._thread = threading.Thread(target=self._run, name="envoy-config-checks", daemon=True)
        self._thread.start()

    def register(self, check_id: str, service_id: str) -> None:
        """Register a critical check on the sidecar service (until Envoy accepts its configuration)."""
        def track() -> None:
            self._services[check_id] = service_id
            self._unregistered.add(check_id)
            self._send(check_id, "critical", "waiting for Envoy to accept its configuration")
        self.post(track)

    def update(self, check_id: str, passing: bool, output: str) -> None:
        """Set a check's status (asynchronously)."""
        status = "passing" if passing else "critical"
        self.post(lambda: self._send(check_id, status, output))

    def forget(self, check_id: str) -> None:
        """Stop refreshing a check and remove it (it may already be gone with its service)."""
        self.post(lambda: self._remove(check_id))

    def post(self, task: Callable[[], None]) -> None:
        """Run `task` on the reporter's thread."""
        self._tasks.put(task)

    def _run(self) -> None:
        next_refresh = time.monotonic() + REFRESH_SECONDS
        while True:
            wake_at = min(next_refresh, time.monotonic() + RETRY_SECONDS) if self._unregistered else next_refresh
            try:
                task = self._tasks.get(timeout=max(0.0, wake_at - time.monotonic()))
            except queue.Empty:
                task = None
            try:
                if task is not None:
                    task()
                    continue
                refresh = time.monotonic() >= next_refresh
                if refresh:
                    next_refresh = time.monotonic() + REFRESH_SECONDS
                for check_id, (status, output) in list(self._statuses.items()):
                    if refresh or check_id in self._unregistered:
                        self._send(check_id, status, output)
            except Exception:  # noqa: BLE001 -- the reporter must outlive any one failure
                log.exception("envoy config checks: task failed")

    def _send(self, check_id: str, status: str, output: str) -> None:
        if check_id not in self._services:
            return  # forgotten
        self._statuses[check_id] = (status, output)
        update = {"Status": status, "Output": output}
        try:
            if check_id in self._unregistered:
                self._connection.put("/v1/agent/check/register",
                                     {**_definition(check_id, self._services[check_id]), "Status": status})
                self._unregistered.discard(check_id)
            self._connection.put(f"/v1/agent/check/update/{check_id}", update)
        except ConsulError as exc:
            if "does not have associated TTL" in str(exc):
                # the check went with its service (deregistered and registered again): put it back
                self._unregistered.add(check_id)
            log.debug("envoy config check %s: %s (retrying)", check_id, exc)
            if check_id not in self._unregistered:
                log.warning("envoy config check %s: %s", check_id, exc)

    def _remove(self, check_id: str) -> None:
        self._services.pop(check_id, None)
        self._unregistered.discard(check_id)
        if self._statuses.pop(check_id, None) is None:
            return
        try:
            self._connection.put(f"/v1/agent/check/deregister/{check_id}")
        except ConsulError:
            pass  # deregistering the sidecar service removed it already


def _definition(check_id: str, service_id: str) -> dict:
    return {"ID": check_id, "Name": CHECK_NAME, "ServiceID": service_id, "TTL": f"{CHECK_TTL_SECONDS}s",
            "Status": "critical", "Notes": "devagent: passing while Envoy has accepted every xDS resource it was sent"}


_reporters: dict[tuple[str, str], CheckReporter] = {}
_reporters_lock = threading.Lock()


def reporter_for(http_addr: str, token: str = "") -> CheckReporter:
    """The check reporter of one Consul agent, started on first use."""
    with _reporters_lock:
        reporter = _reporters.get((http_addr, token))
        if reporter is None:
            reporter = _reporters[(http_addr, token)] = CheckReporter(http_addr, token)
        return reporter
