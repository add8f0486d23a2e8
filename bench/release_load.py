"""Release under load: the events of issue 16 on one stack while a client sends GET / every 20 ms.

Each event is done the way an operator does it (edit the values, `deployer apply`; stop and start
the Consul agent; kill -9 a task) and reports how many requests failed and for how long.
"""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import requests

from bench.request_load import LoadClient
from bench.results import ReleaseEvent
from bench.stack import MeshStack
from bench.values_files import base_values, mesh_values, order_port, write_values

SETTLE_TIMEOUT = 60.0
RECOVERY_WINDOW = 3.0  # a crash or restart has recovered once this long passed without a failure


def _values(pick) -> dict:
    data = mesh_values(base_values(), pick)
    # In a network namespace the published port reaches the group's address, not its loopback.
    data["services"]["order"].setdefault("env", {})["SERVICE_HOST"] = "0.0.0.0"
    return data


class ReleaseBench:
    """One deployed mesh on a stack, edited event after event under a steady client."""

    def __init__(self, stack: MeshStack, pick, log):
        self.stack, self.log = stack, log
        self.data = _values(pick)
        self.path = stack.workdir / "release.yaml"

    def _apply(self) -> int:
        write_values(self.data, self.path)
        return self.stack.deployer(self.path, "apply").code

    def _nomad(self, path: str):
        return requests.get(f"{self.stack.nomad_addr}{path}", timeout=10).json()

    def _settled(self) -> None:
        """Until every stopped allocation of tax has ended (drained and killed), plus a second."""
        deadline = time.monotonic() + SETTLE_TIMEOUT
        while time.monotonic() < deadline:
            allocs = self._nomad("/v1/job/tax/allocations")
            if not [a for a in allocs if a["DesiredStatus"] != "run" and a["ClientStatus"] in ("running", "pending")]:
                break
            time.sleep(0.2)
        time.sleep(1.0)

    def _recovered(self, load: LoadClient, since: float, timeout: float = 60.0) -> float | None:
        """Seconds from `since` to the last failure once RECOVERY_WINDOW passed without one (None: never)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            report = load.report(since=since)
            last = report.last_failure or since
            if time.monotonic() - last >= RECOVERY_WINDOW:
                return last - since
            time.sleep(0.2)
        return None

    def _task_pgid(self, label: str) -> int:
        records = json.loads((Path(self.stack.data_dir) / "processes.json").read_text())
        return next(r["pgid"] for r in records if r["label"] == label)

    def _event(self, name: str, act) -> ReleaseEvent:
        with LoadClient(order_port(self.data)) as load:
            load.wait_requests(25)
            started = time.monotonic()
            note = act(load, started)
            report = load.report(since=started)
        event = ReleaseEvent(self.stack.sidecar, name, report.total, report.failed, report.outage_seconds, note)
        self.log(f"  {self.stack.sidecar}: {report.line(name)}{'; ' + note if note else ''}")
        return event

    def _release(self, change, expect: int = 0):
        def act(load, started):
            change(self.data["services"]["tax"])
            code = self._apply()
            self._settled()
            return "" if code == expect else f"apply exited {code} (expected {expect})"
        return act

    def _consul_restart(self, load, started):
        self.stack.consul.stop()
        self.stack.consul.start()
        back = time.monotonic()
        recovered = self._recovered(load, back)
        code = self._apply()  # restores the intentions a dev agent forgot
        when = "never" if recovered is None else f"{recovered:.1f} s"
        return f"traffic back {when} after the agent answered; apply afterwards exited {code}"

    def _kill(self, label: str):
        def act(load, started):
            os.killpg(self._task_pgid(label), signal.SIGKILL)
            recovered = self._recovered(load, started)
            return "never recovered" if recovered is None else f"recovered after {recovered:.1f} s"
        return act

    def run(self) -> list[ReleaseEvent]:
        """Deploy, then every event in turn; destroy at the end."""
        if self._apply() != 0:
            raise RuntimeError(f"apply of the release mesh failed on {self.stack.sidecar}")
        events = []
        try:
            counter = iter(range(2, 100))
            events.append(self._event("rolling update, count 1 (canary)",
                                      self._release(lambda tax: tax.setdefault("env", {}).update(RELEASE=str(next(counter))))))
            self.data["services"]["tax"]["count"] = 2
            self._apply()
            self._settled()
            events.append(self._event("rolling update, count 2",
                                      self._release(lambda tax: tax["env"].update(RELEASE=str(next(counter))))))
            events.append(self._event("scale 2 -> 1", self._release(lambda tax: tax.update(count=1))))
            events.append(self._event("scale 1 -> 2", self._release(lambda tax: tax.update(count=2))))
            self.data["services"]["tax"]["count"] = 1
            self._apply()
            self._settled()
            events.append(self._event("bad release, count 1 (the new version crashes)",
                                      self._release(lambda tax: tax["env"].update(UPSTREAM_CONNECT_TIMEOUT="soon"),
                                                    expect=2)))
            self.data["services"]["tax"]["env"].pop("UPSTREAM_CONNECT_TIMEOUT")
            self._apply()
            self._settled()
            events.append(self._event("Consul agent restarted", self._consul_restart))
            events.append(self._event("kill -9 of the app (tax)", self._kill("task tax")))
            events.append(self._event("kill -9 of the sidecar (tax)", self._kill("task connect-proxy-tax")))
        finally:
            self.stack.deployer(self.path, "destroy")
        return events
