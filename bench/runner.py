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
from bench.hop_profile import FileLogs, NomadLogs
from bench.machine import describe_machine, stolen_pct
from bench.overhead import LoadSettings, LoadTarget, measure_load
from bench.procs import machine_busy_and_stolen_ticks
from bench.reconnect_check import check_reconnects
from bench.release_load import ReleaseBench
from bench.resources import footprints
from bench.results import Results
from bench.scale import measure_scale
from bench.stack import MeshStack
from bench.values_files import base_values, mesh_values, order_port, unique_port_picker, with_keepalive, write_values
from bench.wrk import ensure_wrk

MEASUREMENTS = ("apply", "enforcement", "overhead", "resources", "scale", "release")


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
    scale_flips: int = 20
    scale_check_intervals: tuple[str, ...] = ("",)  # "": dev.yaml's time between health checks

    def wants(self, name: str) -> bool:
        """Whether measurement `name` is part of this run."""
        return name in self.only

    def as_dict(self) -> dict:
        """For the report's settings line."""
        return {"measurements": "+".join(self.only), "sidecars": "+".join(self.sidecars),
                "cold apply runs": self.apply_runs, "flips": self.flips, "seconds": self.load_seconds,
                "rounds": self.load_rounds, "concurrencies": "/".join(map(str, self.concurrencies)),
                "threads": 2, "scale sizes": "/".join(map(str, self.scale_sizes)),
                "scale sidecars": "+".join(self.scale_sidecars), "idle seconds": self.idle_seconds,
                "scale flips": self.scale_flips,
                "scale check intervals": "/".join(i or "dev.yaml's" for i in self.scale_check_intervals)}


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
    return LoadTarget(stack.sidecar, f"http://127.0.0.1:{order_port(values)}/", stack.tasks,
                      NomadLogs(stack.nomad_addr))


@dataclass
class Deployed:
    """A mesh as deployed on one stack: its values and the file they were written to."""

    values: dict
    path: Path


class BenchRun:
    """One run: the phases in order, sharing the stacks, the deployed meshes and a port picker."""

    def __init__(self, settings: BenchSettings, workdir: Path, results: Results, log):
        self.settings, self.workdir, self.results, self.log = settings, workdir, results, log
        self.started = time.monotonic()
        self.step = Step(results, log, self.started)
        self.pick = unique_port_picker()
        self.serial = itertools.count(1)
        self.wrk = ""
        self.meshes: list[MeshStack] = []
        self.plain: dict[str, Deployed] = {}
        self.pooled: dict[str, Deployed] = {}

    def wants(self, *names: str) -> bool:
        """Whether any of these measurements is part of the run."""
        return any(self.settings.wants(name) for name in names)

    def deploy(self, stack: MeshStack, keepalive: bool) -> Deployed:
        """Apply a fresh copy of the mesh on stack (new ports) and return it; the caller checks the result."""
        # Every deployment gets ports of its own: devagent test-binds a static port without SO_REUSEADDR,
        # so order's port stays "taken" while TIME_WAIT sockets of the last deployment remain (60 s).
        data = mesh_values(base_values(), self.pick)
        data = with_keepalive(data) if keepalive else data
        return Deployed(data, write_values(data, stack.workdir / f"mesh-{next(self.serial)}.yaml"))

    def cold_applies(self) -> None:
        """Cold apply + verify, `apply_runs` times per sidecar kind; leaves the plain mesh up."""
        runs = self.settings.apply_runs if self.wants("apply") else 1
        for number in range(runs):
            with self.step(f"cold apply {number + 1}/{runs}"):
                for stack in self.meshes:
                    if stack.sidecar in self.plain:
                        destroy(stack, self.plain[stack.sidecar].path)
                    self.plain[stack.sidecar] = self.deploy(stack, keepalive=False)
                    applied = cold_apply(stack, self.plain[stack.sidecar].path, self.log)
                    if self.wants("apply"):
                        self.results.applies.append(applied)

    def load_phase(self, keepalive: bool) -> None:
        """wrk against direct and every mesh; with keep-alive also the resource snapshot."""
        title = "keep-alive" if keepalive else "new connection per request"
        deployed = self.pooled if keepalive else self.plain
        load = LoadSettings(self.wrk, self.workdir, self.settings.load_seconds, self.settings.concurrencies,
                            self.settings.load_rounds)
        with self.step(f"sidecar overhead, {title}"):
            directory = self.workdir / ("direct-keepalive" if keepalive else "direct-new")
            with DirectChain(directory, keepalive, self.pick) as direct:
                if not keepalive:
                    self.results.reconnect_check = check_reconnects(self.wrk, direct.ports["order"], self.workdir)
                    self.log(f"  {self.results.reconnect_check}")
                targets = [LoadTarget("direct", direct.order_url, direct.tasks, FileLogs(direct.log_paths()))]
                targets += [_mesh_target(s, deployed[s.sidecar].values) for s in self.meshes]
                self.results.load += measure_load(targets, load, new_connection=not keepalive, log=self.log)
                if keepalive and self.wants("resources"):
                    self.results.memory += footprints(targets, self.settings.idle_seconds)

    def enforcement_phase(self, keepalive: bool) -> None:
        """Deny/allow flips on every mesh, on new or kept-alive connections."""
        connections = "kept-alive" if keepalive else "new"
        deployed = self.pooled if keepalive else self.plain
        timeout = self.settings.kept_alive_timeout_s if keepalive else self.settings.flip_timeout_s
        for stack in self.meshes:
            with self.step(f"enforcement delay, {connections} connections, {stack.sidecar}"):
                mesh = deployed[stack.sidecar]
                self.results.enforcement += measure_enforcement(stack, mesh.path, order_port(mesh.values),
                                                                self.settings.flips, timeout, connections, self.log)

    def redeploy_pooled(self) -> None:
        """Replace each plain mesh with one whose services keep their upstream connections."""
        with self.step("redeploy the meshes with UPSTREAM_KEEPALIVE=1"):
            for stack in self.meshes:
                destroy(stack, self.plain[stack.sidecar].path)
                self.pooled[stack.sidecar] = self.deploy(stack, keepalive=True)
                stack.deployer(self.pooled[stack.sidecar].path, "apply").require_ok("apply (keep-alive)")

    def destroy_meshes(self) -> None:
        """Remove the three-service meshes before the scale runs."""
        with self.step("destroy the meshes"):
            for stack in self.meshes:
                destroy(stack, self.plain[stack.sidecar].path)

    def run(self) -> Results:
        """Every selected phase in order; the stacks are stopped however it ends."""
        self.results.settings = self.settings.as_dict()
        self.wrk = ensure_wrk(self.log)
        self.results.machine = describe_machine(self.wrk)
        ticks_at_start = machine_busy_and_stolen_ticks()
        mesh_needed = self.wants("apply", "enforcement", "overhead", "resources")
        scale_kinds = self.settings.scale_sidecars if self.wants("scale") else ()
        kinds = tuple(dict.fromkeys(self.settings.sidecars + scale_kinds))
        with contextlib.ExitStack() as running:
            self.log(f"starting Consul + devagent for: {', '.join(kinds)}")
            stacks = {kind: running.enter_context(MeshStack(kind, self.workdir / kind)) for kind in kinds}
            self.meshes = [stacks[kind] for kind in self.settings.sidecars]
            if mesh_needed:
                self.cold_applies()
            if self.wants("overhead", "resources"):
                self.load_phase(keepalive=False)
            if self.wants("enforcement"):
                self.enforcement_phase(keepalive=False)
            if self.wants("enforcement", "overhead", "resources"):
                self.redeploy_pooled()
            if self.wants("overhead", "resources"):
                self.load_phase(keepalive=True)
            if self.wants("enforcement"):
                self.enforcement_phase(keepalive=True)
            if mesh_needed:
                self.destroy_meshes()
            if self.wants("release"):
                for stack in self.meshes:
                    with self.step(f"release under load, {stack.sidecar}"):
                        self.results.releases += ReleaseBench(stack, self.pick, self.log).run()
            for kind in scale_kinds:
                with self.step(f"scale, {kind}"):
                    runs, profiles = measure_scale(stacks[kind], self.workdir, self.settings.scale_sizes, self.pick,
                                                   self.log, self.settings.idle_seconds, self.settings.scale_flips,
                                                   self.settings.scale_check_intervals)
                    self.results.scale += runs
                    self.results.scale_profiles += profiles
            self.log(f"[{time.monotonic() - self.started:6.0f} s] stopping devagents and Consul")
        self.results.wall_s = time.monotonic() - self.started
        self.results.machine.cpu_stolen_pct = stolen_pct(ticks_at_start, machine_busy_and_stolen_ticks())
        return self.results


def run_benchmarks(settings: BenchSettings, workdir: Path, results: Results, log=print) -> Results:
    """Run every selected measurement side by side; everything started is stopped on the way out."""
    return BenchRun(settings, workdir, results, log).run()
