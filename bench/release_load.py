"""Release under load: the events of issue 16 on one stack while a client sends GET / from several workers.

Each event is done the way an operator does it (edit the values, `deployer apply`; stop and start
the Consul agent; kill -9 a task) and reports how many requests failed and for how long. A release
or scale event is done again (round after round, counted only while a round happens: from just
before `deployer apply` until the replaced allocations have ended) until it has seen RELEASE_MIN_REQUESTS.
"""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import requests

from bench.request_load import LoadClient, LoadReport
from bench.results import RELEASE_EVENTS, RELEASE_MIN_REQUESTS, ReleaseEvent
from bench.stack import MeshStack
from bench.values_files import base_values, mesh_values, order_port, write_values

SETTLE_TIMEOUT = 60.0
RECOVERY_WINDOW = 3.0  # a crash has recovered once this long passed without a failure
# After a Consul restart, longer: the built-in proxies retry their certificate watches 5 s after the
# agent went away, and the switch to the new CA must not break traffic either.
CONSUL_RECOVERY_WINDOW = 6.0
MAX_ROUNDS = 12
# The client per sidecar kind: (workers, seconds between one worker's requests). A request costs the
# chain about 13 ms (Envoy) or 20 ms (built-in) of CPU on 2 cores: 75/s and 50/s leave both meshes
# unsaturated (the median latency stays near an idle one's; the table shows it).
LOAD = {"envoy": (6, 0.08), "builtin": (4, 0.08)}


def _values(pick) -> dict:
    data = mesh_values(base_values(), pick)
    # In a network namespace the published port reaches the group's address, not its loopback.
    data["services"]["order"].setdefault("env", {})["SERVICE_HOST"] = "0.0.0.0"
    return data


def _event(sidecar: str, name: str, report: LoadReport, outage: float, note: str, rounds: int = 1,
           recovery: float | None = None) -> ReleaseEvent:
    return ReleaseEvent(sidecar, name, report.total, report.failed, outage, note, rounds=rounds,
                        seconds=report.seconds, rate=report.rate, latency_p50_ms=report.latency_p50_ms,
                        latency_p99_ms=report.latency_p99_ms, recovery_s=recovery)


class ReleaseBench:
    """One deployed mesh on a stack, edited event after event under a steady client."""

    def __init__(self, stack: MeshStack, pick, log):
        self.stack, self.log = stack, log
        self.data = _values(pick)
        self.path = stack.workdir / "release.yaml"
        self.workers, self.interval = LOAD.get(stack.sidecar, LOAD["builtin"])
        self.release = iter(range(2, 1000))

    def _apply(self):
        write_values(self.data, self.path)
        return self.stack.deployer(self.path, "apply")

    def _nomad(self, path: str):
        return requests.get(f"{self.stack.nomad_addr}{path}", timeout=10).json()

    def _tax(self) -> dict:
        return self.data["services"]["tax"]

    def _settled(self) -> None:
        """Until every stopped allocation of tax has ended (drained and killed), plus a second."""
        deadline = time.monotonic() + SETTLE_TIMEOUT
        while time.monotonic() < deadline:
            allocs = self._nomad("/v1/job/tax/allocations")
            if not [a for a in allocs if a["DesiredStatus"] != "run" and a["ClientStatus"] in ("running", "pending")]:
                break
            time.sleep(0.2)
        time.sleep(1.0)  # requests in flight during the last kill still count

    def _apply_settled(self) -> None:
        """Apply the values as they are and wait until tax settled (between events, not counted)."""
        self._apply()
        self._settled()

    def _live_tax(self) -> dict[str, str]:
        return {a["Name"]: a["ID"] for a in self._nomad("/v1/job/tax/allocations") if a["DesiredStatus"] == "run"}

    def _recovered(self, load: LoadClient, since: float, window: float, timeout: float = 60.0) -> float | None:
        """Seconds from `since` to the last failure once `window` passed without one (None: never)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            last = load.report(since=since).last_failure or since
            if time.monotonic() - last >= window:
                return last - since
            time.sleep(0.2)
        return None

    def _round(self, change, expect: int) -> tuple[tuple[float, float], str]:
        """One release: change tax, apply, wait until settled; the window it took and what went wrong."""
        change(self._tax())
        started = time.monotonic()
        code = self._apply().code
        self._settled()
        return (started, time.monotonic()), ("" if code == expect else f"apply exited {code} (expected {expect})")

    def _record(self, load: LoadClient, name: str, windows: list, notes: list[str]) -> ReleaseEvent:
        report = load.report_over(windows)
        outage = sum(load.report(since, until).outage_seconds for since, until in windows)
        note = "; ".join(dict.fromkeys(n for n in notes if n))
        self.log(f"  {self.stack.sidecar}: {report.line(f'{name} x{len(windows)}')}{'; ' + note if note else ''}")
        return _event(self.stack.sidecar, name, report, outage, note, rounds=len(windows))

    def _enough(self, load: LoadClient, windows: list) -> bool:
        return len(windows) >= MAX_ROUNDS or load.report_over(windows).total >= RELEASE_MIN_REQUESTS

    def _repeated(self, load: LoadClient, name: str, change, expect: int = 0) -> ReleaseEvent:
        windows, notes = [], []
        while not windows or not self._enough(load, windows):
            window, note = self._round(change, expect)
            windows.append(window)
            notes.append(note)
        return self._record(load, name, windows, notes)

    def _scaling(self, load: LoadClient) -> list[ReleaseEvent]:
        """2 -> 1 and 1 -> 2 in turn until each has seen enough; tax[0] must keep its allocation."""
        kept = self._live_tax().get("tax.tax[0]")
        down, up, notes = [], [], []
        while not down or not (self._enough(load, down) and self._enough(load, up)):
            for windows, count in ((down, 1), (up, 2)):
                window, note = self._round(lambda tax: tax.update(count=count), 0)
                windows.append(window)
                notes.append(note)
                if self._live_tax().get("tax.tax[0]") != kept:
                    notes.append("tax[0] was replaced")
        if "tax[0] was replaced" not in notes:
            notes.append(f"tax[0] kept its allocation through all {len(down) + len(up)} rounds")
        return [self._record(load, "scale 2 -> 1", down, notes), self._record(load, "scale 1 -> 2", up, notes)]

    def _registered(self) -> set[str]:
        url = f"http://{self.stack.consul.http_addr}/v1/agent/services"
        return {s["Service"] for s in requests.get(url, timeout=5).json().values()}

    def _consul_restart(self, load: LoadClient) -> ReleaseEvent:
        before = self._registered()
        stopped = time.monotonic()
        self.stack.consul.stop()
        self.stack.consul.start()
        back = time.monotonic()
        recovered = self._recovered(load, back, CONSUL_RECOVERY_WINDOW)
        report = load.report(since=stopped)
        restored = self._registered()
        applied = self._apply()  # restores the intentions a dev agent forgot
        when = "never" if recovered is None else f"{recovered:.1f} s"
        intentions = ("restored the intentions" if "intentions: created" in applied.out
                      else "did not restore the intentions")
        note = (f"down {back - stopped:.1f} s; traffic back {when} after the agent answered; "
                f"{len(before & restored)} of {len(before)} registrations restored with no command; "
                f"`deployer apply` afterwards exited {applied.code} and {intentions}")
        self.log(f"  {self.stack.sidecar}: {report.line('Consul agent restarted')}; {note}")
        return _event(self.stack.sidecar, "Consul agent restarted", report, report.outage_seconds, note,
                      recovery=recovered)

    def _task_pgid(self, label: str) -> int:
        records = json.loads((Path(self.stack.data_dir) / "processes.json").read_text())
        return next(r["pgid"] for r in records if r["label"] == label)

    def _kill(self, load: LoadClient, name: str, label: str) -> ReleaseEvent:
        killed = time.monotonic()
        os.killpg(self._task_pgid(label), signal.SIGKILL)
        recovered = self._recovered(load, killed, RECOVERY_WINDOW)
        report = load.report(since=killed)
        note = "never recovered" if recovered is None else ""
        self.log(f"  {self.stack.sidecar}: {report.line(name)}; "
                 + (note or f"recovered after {recovered:.1f} s"))
        return _event(self.stack.sidecar, name, report, report.outage_seconds, note, recovery=recovered)

    def _events(self, load: LoadClient) -> list[ReleaseEvent]:
        update = lambda tax: tax.setdefault("env", {}).update(RELEASE=str(next(self.release)))  # noqa: E731
        events = [self._repeated(load, RELEASE_EVENTS[0], update)]
        self._tax()["count"] = 2
        self._apply_settled()
        events.append(self._repeated(load, RELEASE_EVENTS[1], update))
        events += self._scaling(load)
        self._tax()["count"] = 1
        self._apply_settled()
        # The app refuses to start with this setting: every canary crashes, the old version keeps serving.
        events.append(self._repeated(load, RELEASE_EVENTS[4],
                                     lambda tax: tax["env"].update(UPSTREAM_CONNECT_TIMEOUT="soon"), expect=2))
        self._tax()["env"].pop("UPSTREAM_CONNECT_TIMEOUT")
        self._apply_settled()
        events.append(self._consul_restart(load))
        events.append(self._kill(load, RELEASE_EVENTS[6], "task tax"))
        events.append(self._kill(load, RELEASE_EVENTS[7], "task connect-proxy-tax"))
        return events

    def run(self) -> list[ReleaseEvent]:
        """Deploy, then every event in turn under one client; destroy at the end."""
        if self._apply().code != 0:
            raise RuntimeError(f"apply of the release mesh failed on {self.stack.sidecar}")
        try:
            with LoadClient(order_port(self.data), workers=self.workers, interval=self.interval) as load:
                load.wait_requests(25)
                return self._events(load)
        finally:
            self.stack.deployer(self.path, "destroy")
