"""The orchestrator: starts Consul + devagent per sidecar kind, runs each measurement, stops everything."""

from __future__ import annotations

import contextlib
import itertools
import time
from dataclasses import dataclass
from pathlib import Path

from bench.apply_time import cold_apply, destroy
from bench.direct import DirectChain
from bench.enforcement import measure_enforcement
from bench.machine import describe_machine
from bench.overhead import LoadSettings, LoadTarget, measure_load
from bench.reconnect_check import check_reconnects
from bench.resources import footprints
from bench.results import Results
from bench.scale import measure_scale
from bench.stack import MeshStack
from bench.values_files import base_values, mesh_values, order_port, unique_port_picker, with_keepalive, write_values
from bench.wrk import ensure_wrk

MEASUREMENTS = ("apply", "enforcement", "overhead", "resources", "scale")


@dataclass
class BenchSettings:
    """How much of everything to do."""

    only: tuple[str, ...]
    sidecars: tuple[str, ...]
    apply_runs: int
    flips: int
    flip_timeout_s: float
    kept_alive_timeout_s: float
    load_seconds: float
    load_rounds: int
    concurrencies: tuple[int, ...]
    scale_sizes: tuple[int, ...]
    scale_sidecars: tuple[str, ...]
    idle_seconds: float

    def wants(self, name: str) -> bool:
        """Whether measurement `name` is part of this run."""
        return name in self.only

    def as_dict(self) -> dict:
        """For the report's settings line."""
        return {"measurements": "+".join(self.only), "sidecars": "+".join(self.sidecars),
                "cold apply runs": self.apply_runs, "flips": self.flips, "seconds": self.load_seconds,
                "rounds": self.load_rounds, "concurrencies": "/".join(map(str, self.concurrencies)),
                "threads": 2, "scale sizes": "/".join(map(str, self.scale_sizes)),
                "scale sidecars": "+".join(self.scale_sidecars), "idle seconds": self.idle_seconds}


class Step:
    """Logs a phase with the elapsed time; an exception becomes an entry in results.errors."""

    def __init__(self, results: Results, log, started: float):
        self.results, self.log, self.started = results, log, started

    @contextlib.contextmanager
    def __call__(self, title: str):
        self.log(f"[{time.monotonic() - self.started:6.0f} s] {title}")
        try:
            yield
        except Exception as exc:  # noqa: BLE001 - one failed measurement must not lose the others
            self.results.errors.append(f"{title}: {type(exc).__name__}: {exc}")
            self.log(f"  FAILED: {exc}")


def _mesh_target(stack: MeshStack, values: dict) -> LoadTarget:
    return LoadTarget(stack.sidecar, f"http://127.0.0.1:{order_port(values)}/", stack.tasks)


def run_benchmarks(settings: BenchSettings, workdir: Path, results: Results, log=print) -> Results:
    """Run every selected measurement side by side; everything started is stopped on the way out."""
    started = time.monotonic()
    step = Step(results, log, started)
    results.settings = settings.as_dict()
    wrk = ensure_wrk(log)
    results.machine = describe_machine(wrk)
    pick = unique_port_picker()
    load = LoadSettings(wrk, workdir, settings.load_seconds, settings.concurrencies, settings.load_rounds)
    mesh_needed = any(settings.wants(m) for m in ("apply", "enforcement", "overhead", "resources"))
    kinds = tuple(dict.fromkeys(settings.sidecars + (settings.scale_sidecars if settings.wants("scale") else ())))
    with contextlib.ExitStack() as running:
        log(f"starting Consul + devagent for: {', '.join(kinds)}")
        stacks = {kind: running.enter_context(MeshStack(kind, workdir / kind)) for kind in kinds}
        meshes = [stacks[k] for k in settings.sidecars]
        plain: dict[str, dict] = {}
        files: dict[str, Path] = {}
        serial = itertools.count(1)

        def fresh_mesh(stack: MeshStack, keepalive: bool) -> tuple[dict, Path]:
            # Every deployment gets ports of its own: devagent test-binds a static port without SO_REUSEADDR,
            # so order's port stays "taken" while TIME_WAIT sockets of the last deployment remain (60 s).
            data = mesh_values(base_values(), pick)
            data = with_keepalive(data) if keepalive else data
            return data, write_values(data, stack.workdir / f"mesh-{next(serial)}.yaml")

        if mesh_needed:
            runs = settings.apply_runs if settings.wants("apply") else 1
            for number in range(runs):
                with step(f"cold apply {number + 1}/{runs}"):
                    for stack in meshes:
                        if stack.sidecar in files:
                            destroy(stack, files[stack.sidecar])
                        plain[stack.sidecar], files[stack.sidecar] = fresh_mesh(stack, keepalive=False)
                        applied = cold_apply(stack, files[stack.sidecar], log)
                        if settings.wants("apply"):
                            results.applies.append(applied)
        if settings.wants("overhead") or settings.wants("resources"):
            with step("sidecar overhead, new connection per request"):
                with DirectChain(workdir / "direct-new", False, pick) as direct:
                    results.reconnect_check = check_reconnects(wrk, direct.ports["order"], workdir)
                    log(f"  {results.reconnect_check}")
                    targets = [LoadTarget("direct", direct.order_url, direct.tasks)]
                    targets += [_mesh_target(s, plain[s.sidecar]) for s in meshes]
                    results.load += measure_load(targets, load, new_connection=True, log=log)
        if settings.wants("enforcement"):
            for stack in meshes:
                with step(f"enforcement delay, new connections, {stack.sidecar}"):
                    results.enforcement += measure_enforcement(stack, files[stack.sidecar], order_port(plain[stack.sidecar]),
                                                               settings.flips, settings.flip_timeout_s, "new", log)
        needs_pooled = any(settings.wants(m) for m in ("enforcement", "overhead", "resources"))
        pooled: dict[str, dict] = {}
        pooled_files: dict[str, Path] = {}
        if needs_pooled:
            with step("redeploy the meshes with UPSTREAM_KEEPALIVE=1"):
                for stack in meshes:
                    destroy(stack, files[stack.sidecar])
                    pooled[stack.sidecar], pooled_files[stack.sidecar] = fresh_mesh(stack, keepalive=True)
                    stack.deployer(pooled_files[stack.sidecar], "apply").require_ok("apply (keep-alive)")
        if settings.wants("overhead") or settings.wants("resources"):
            with step("sidecar overhead, keep-alive"):
                with DirectChain(workdir / "direct-keepalive", True, pick) as direct:
                    targets = [LoadTarget("direct", direct.order_url, direct.tasks)]
                    targets += [_mesh_target(s, pooled[s.sidecar]) for s in meshes]
                    results.load += measure_load(targets, load, new_connection=False, log=log)
                    if settings.wants("resources"):
                        results.memory += footprints(targets, settings.idle_seconds)
        if settings.wants("enforcement"):
            for stack in meshes:
                with step(f"enforcement delay, kept-alive connections, {stack.sidecar}"):
                    results.enforcement += measure_enforcement(
                        stack, pooled_files[stack.sidecar], order_port(pooled[stack.sidecar]), settings.flips,
                        settings.kept_alive_timeout_s, "kept-alive", log)
        if mesh_needed:
            with step("destroy the meshes"):
                for stack in meshes:
                    destroy(stack, files[stack.sidecar])
        if settings.wants("scale"):
            for kind in settings.scale_sidecars:
                with step(f"scale, {kind}"):
                    results.scale += measure_scale(stacks[kind], workdir, settings.scale_sizes, pick, log)
        log(f"[{time.monotonic() - started:6.0f} s] stopping devagents and Consul")
    results.wall_s = time.monotonic() - started
    return results
