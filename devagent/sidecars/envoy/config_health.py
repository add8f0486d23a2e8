"""A critical Consul TTL check on a sidecar while its Envoy rejects its configuration.

Nomad shows allocation health through task events and Consul checks; `deployer status` reads
the checks of `<service>-sidecar-proxy`. The check exists only while a rejection stands: a
healthy mesh costs Consul no extra check, no registration and no refresh. One thread per
Consul agent registers, refreshes and removes them, so the gRPC loop that learns of an ACK or
NACK never waits on Consul. Under Consul ACLs each check is written with its sidecar's own
token (a service identity per allocation), over a client kept only while a check of that
token fails, so new tokens add no threads.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass
from typing import Callable

from devagent.consul_client import ConsulClient, ConsulError

log = logging.getLogger(__name__)

CHECK_NAME = "Envoy Configuration"
CHECK_TTL_SECONDS = 120
REFRESH_SECONDS = 40  # a third of the TTL: keeps Envoy's error as the output while the rejection stands
RETRY_SECONDS = 2.0  # for a check Consul could not take


CHECK_ID_SUFFIX = ":envoy-config"


def config_check_id(sidecar_service_id: str) -> str:
    """The ID of a sidecar's configuration check."""
    return sidecar_service_id + CHECK_ID_SUFFIX


class CheckReporter:
    """Owns the rejection checks of one Consul agent; all Consul calls run on its own thread.

    A check Consul cannot take now (overloaded, or its service not registered again yet) is
    retried every few seconds while the rejection stands.
    """

    def __init__(self, http_addr: str):
        self.http_addr = http_addr
        self._tasks: queue.Queue = queue.Queue()
        # check ID -> (sidecar service ID, Envoy's error, the sidecar's Consul ACL token)
        self._failing: dict[str, tuple[str, str, str]] = {}
        self._unregistered: set[str] = set()  # failing checks Consul does not have (yet, or any more)
        self._clients: dict[str, ConsulClient] = {}  # by token, while one of its checks fails
        self._thread = threading.Thread(target=self._run, name="envoy-config-checks", daemon=True)
        self._thread.start()

    def fail(self, check_id: str, service_id: str, output: str, token: str = "") -> None:
        """Make the sidecar's check critical with Envoy's error, registering it if needed."""
        def apply() -> None:
            if check_id not in self._failing:
                self._unregistered.add(check_id)
            self._failing[check_id] = (service_id, output, token)
            self._send(check_id)
        self.post(apply)

    def clear(self, check_id: str) -> None:
        """Envoy accepts its configuration (again), or the sidecar is gone: remove the check."""
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
                for check_id in list(self._failing):
                    if refresh or check_id in self._unregistered:
                        self._send(check_id)
            except Exception:  # noqa: BLE001 -- the reporter must outlive any one failure
                log.exception("envoy config checks: task failed")

    def _client(self, token: str) -> ConsulClient:
        if token not in self._clients:
            self._clients[token] = ConsulClient(self.http_addr, token)
        return self._clients[token]

    def _send(self, check_id: str) -> None:
        service_id, output, token = self._failing[check_id]
        client = self._client(token)
        try:
            if check_id in self._unregistered:
                client.put("/v1/agent/check/register", _definition(check_id, service_id))
                self._unregistered.discard(check_id)
            client.put(f"/v1/agent/check/update/{check_id}", {"Status": "critical", "Output": output})
        except ConsulError as exc:
            if "does not have associated TTL" in str(exc) or "Unknown check" in str(exc):
                # the check went with its service (deregistered and registered again): put it back
                # (Consul's words without ACLs, then with ACLs: it vets the check before the update)
                self._unregistered.add(check_id)
            log.warning("envoy config check %s: %s (retrying)", check_id, exc)

    def _remove(self, check_id: str) -> None:
        self._unregistered.discard(check_id)
        removed = self._failing.pop(check_id, None)
        if removed is None:
            return
        token = removed[2]
        try:
            self._client(token).put(f"/v1/agent/check/deregister/{check_id}")
        except ConsulError:
            pass  # deregistering the sidecar service removed it already
        if all(entry[2] != token for entry in self._failing.values()):
            client = self._clients.pop(token, None)
            if client is not None:
                client.close()


def _definition(check_id: str, service_id: str) -> dict:
    return {"ID": check_id, "Name": CHECK_NAME, "ServiceID": service_id, "TTL": f"{CHECK_TTL_SECONDS}s",
            "Status": "critical", "Notes": "devagent: Envoy rejected the configuration devagent sent it"}


@dataclass(frozen=True)
class SidecarReporter:
    """One sidecar's handle on its agent's reporter: its checks are written with its token."""

    reporter: CheckReporter
    token: str = ""

    def fail(self, check_id: str, service_id: str, output: str) -> None:
        """See CheckReporter.fail."""
        self.reporter.fail(check_id, service_id, output, self.token)

    def clear(self, check_id: str) -> None:
        """See CheckReporter.clear."""
        self.reporter.clear(check_id)

    def post(self, task: Callable[[], None]) -> None:
        """See CheckReporter.post."""
        self.reporter.post(task)


_reporters: dict[str, CheckReporter] = {}
_reporters_lock = threading.Lock()


def reporter_for(http_addr: str, token: str = "") -> SidecarReporter:
    """The check reporter of one Consul agent (started on first use), writing with `token`."""
    with _reporters_lock:
        reporter = _reporters.get(http_addr)
        if reporter is None:
            reporter = _reporters[http_addr] = CheckReporter(http_addr)
        return SidecarReporter(reporter, token)
