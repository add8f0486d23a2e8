"""Intention enforcement delay: flip invoice -> tax with the deployer CLI and probe order until it shows."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import requests

from bench.results import EnforcementSeries, FlipSample
from bench.stack import MeshStack

SOURCE, DESTINATION = "invoice", "tax"


def probe_ok(order_port: int) -> bool:
    """GET / on order on a new connection: True for 200 (the whole chain passed)."""
    try:
        answer = requests.get(f"http://127.0.0.1:{order_port}/", timeout=5, headers={"Connection": "close"})
    except requests.RequestException:
        return False
    return answer.status_code == 200


class Prober(threading.Thread):
    """Probes order back to back until one probe shows the wanted state, or it is stopped."""

    def __init__(self, order_port: int, want_ok: bool):
        super().__init__(daemon=True)
        self.order_port, self.want_ok = order_port, want_ok
        self.seen_at: float | None = None
        self.round_trips: list[float] = []
        self.halt = threading.Event()

    def run(self) -> None:
        while not self.halt.is_set():
            sent = time.perf_counter()
            ok = probe_ok(self.order_port)
            done = time.perf_counter()
            self.round_trips.append(done - sent)
            if ok == self.want_ok:
                self.seen_at = done
                return


def wait_state(order_port: int, want_ok: bool, timeout: float) -> bool:
    """Probe until order shows the wanted state (used to settle between flips)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if probe_ok(order_port) == want_ok:
            return True
        time.sleep(0.02)
    return False


def timed_flip(stack: MeshStack, values: Path, order_port: int, action: str, timeout: float,
               series: EnforcementSeries) -> FlipSample:
    """Run `deployer intentions <action> invoice tax --no-wait` in-process while probing order."""
    prober = Prober(order_port, want_ok=(action == "allow"))
    prober.start()
    try:
        run = stack.deployer(values, "intentions", action, SOURCE, DESTINATION, "--no-wait")
        run.require_ok(f"intentions {action}")
        prober.join(max(0.0, run.started + timeout - time.perf_counter()))
    finally:
        prober.halt.set()
        prober.join(10)
    series.probe_s.extend(prober.round_trips)
    if prober.seen_at is None:
        return FlipSample(run.seconds, None, None)
    return FlipSample(run.seconds, prober.seen_at - run.started, prober.seen_at - run.returned)


def measure_enforcement(stack: MeshStack, values: Path, order_port: int, flips: int, timeout: float,
                        connections: str, log=print) -> list[EnforcementSeries]:
    """`flips` deny/allow pairs; a deny that never takes effect leaves its allow unmeasured."""
    deny = EnforcementSeries(stack.sidecar, connections, "deny", timeout)
    allow = EnforcementSeries(stack.sidecar, connections, "allow", timeout)
    if not wait_state(order_port, True, 30):
        raise RuntimeError(f"order on port {order_port} does not answer 200 before the flips")
    for _ in range(flips):
        denied = timed_flip(stack, values, order_port, "deny", timeout, deny)
        deny.samples.append(denied)
        refused_now = denied.from_start_s is not None
        restored = timed_flip(stack, values, order_port, "allow", timeout, allow)
        if refused_now:
            allow.samples.append(restored)
        if not wait_state(order_port, True, 30):
            raise RuntimeError("order did not answer 200 again 30 s after an allow")
    missed = len(deny.samples) - len(deny.enforced)
    if missed:
        deny.note = f"{missed} of {len(deny.samples)} denies not enforced within {timeout:g} s"
        allow.note = f"{missed} allows not measured: traffic had not been refused, nothing to restore"
    log(f"  {stack.sidecar} {connections}: deny enforced in {len(deny.enforced)}/{len(deny.samples)} flips")
    return [deny, allow]
