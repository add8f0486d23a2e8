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


CHECK_ID_SUFFIX = ":envoy-config"


def config_check_id(sidecar_service_id: str) -> str:
    """The ID of a sidecar's configuration check."""
    return sidecar_service_id + CHECK_ID_SUFFIX


class CheckReporter:
    """Owns the configuration checks of one Consul agent; everything but register() runs on its thread."""

    def __init__(self, http_addr: str, token: str = ""):
        self.http_addr = http_addr
        self.token = token
        self._tasks: queue.Queue = queue.Queue()
        self._statuses: dict[str, tuple[str, str]] = {}  # check ID -> (status, output), refreshed
        self._services: dict[str, str] = {}  # check ID -> the sidecar service it belongs to
        self._thread = threading.Thread(target=self._run, name="envoy-config-checks", daemon=True)
        self._thread.start()

    def register(self, check_id: str, service_id: str, timeout: float = 5.0) -> None:
        """Register a critical check on the sidecar service (until Envoy accepts its configuration)."""
        connection = ConsulConnection(self.http_addr, self.token, timeout=timeout)
        try:
            connection.put("/v1/agent/check/register", _definition(check_id, service_id))
        finally:
            connection.close()

        def track() -> None:
            self._statuses.setdefault(check_id, ("critical", "waiting for Envoy"))
            self._services[check_id] = service_id
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
        connection = ConsulConnection(self.http_addr, self.token)
        self._connection = connection
        next_refresh = time.monotonic() + REFRESH_SECONDS
        while True:
            try:
                task = self._tasks.get(timeout=max(0.0, next_refresh - time.monotonic()))
            except queue.Empty:
                task = None
            try:
                if task is not None:
                    task()
                if time.monotonic() >= next_refresh:
                    next_refresh = time.monotonic() + REFRESH_SECONDS
                    for check_id, (status, output) in list(self._statuses.items()):
                        self._send(check_id, status, output)
            except Exception:  # noqa: BLE001 -- the reporter must outlive any one failure
                log.exception("envoy config checks: task failed")

    def _send(self, check_id: str, status: str, output: str) -> None:
        if check_id not in self._statuses:
            return  # forgotten
        self._statuses[check_id] = (status, output)
        update = {"Status": status, "Output": output}
        try:
            self._connection.put(f"/v1/agent/check/update/{check_id}", update)
        except ConsulError as exc:
            if "does not have associated TTL" not in str(exc):
                log.warning("envoy config check %s: %s", check_id, exc)
                return
            # the check went with its service (deregistered and registered again): put it back
            try:
                self._connection.put("/v1/agent/check/register",
                                     {**_definition(check_id, self._services[check_id]), "Status": status})
                self._connection.put(f"/v1/agent/check/update/{check_id}", update)
            except ConsulError as again:
                log.warning("envoy config check %s: registering it again: %s", check_id, again)

    def _remove(self, check_id: str) -> None:
        self._services.pop(check_id, None)
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
