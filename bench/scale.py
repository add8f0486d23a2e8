"""Scale: apply time of generated meshes (a chain and a depth-3 tree) of growing size; the big ones profiled."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from bench.apply_time import destroy
from bench.results import ScaleProfile, ScaleRun
from bench.scale_profile import profile_mesh
from bench.stack import DeployerRun, MeshStack
from bench.targets import SMALL_SERVICES
from bench.values_files import (base_values, chain_parents, dependency_levels, generated_values, tree_parents,
                                write_values)

SHAPES = {"chain": chain_parents, "tree": tree_parents}
LONGEST_CHAIN = 30  # a chain applies one level at a time: 100 levels would take most of an hour
PROFILED_FROM = 30  # meshes this big (and the largest of a run) are verified and profiled while up
# What Envoy printed when it could not get an inotify instance for its (former) file-based config.
INOTIFY_FAILURE = "inotify_fd_ >= 0"


def failure_reason(run: DeployerRun, data_dir: Path, since: float) -> str:
    """The deployer's error, plus the cause when sidecar logs written since `since` show a known one."""
    reason = run.error_line()
    for log in Path(data_dir, "alloc").glob("*/alloc/logs/connect-proxy-*.stderr.*"):
        try:
            if log.stat().st_mtime >= since and INOTIFY_FAILURE in log.read_text(errors="replace"):
                return (f"{reason} (Envoy sidecars aborted: no inotify instance left, "
                        "fs.inotify.max_user_instances reached)")
        except OSError:
            continue
    return reason


def measure_scale(stack: MeshStack, workdir: Path, sizes: tuple[int, ...], next_port: Callable[[], int],
                  log=print, idle_seconds: float = 10.0, flips: int = 10,
                  check_intervals: tuple[str, ...] = ("",)) -> tuple[list[ScaleRun], list[ScaleProfile]]:
    """Apply each generated mesh from nothing and destroy it again before the next; profile the big trees.

    With several check intervals ("" is dev.yaml's), every size is run once per interval.
    """
    runs, profiles = [], []
    for check_interval in check_intervals:
        more_runs, more_profiles = _measure_sizes(stack, workdir, sizes, next_port, log, idle_seconds, flips,
                                                  check_interval)
        runs += more_runs
        profiles += more_profiles
    return runs, profiles


def _measure_sizes(stack: MeshStack, workdir: Path, sizes: tuple[int, ...], next_port: Callable[[], int],
                   log, idle_seconds: float, flips: int, check_interval: str) -> tuple[list, list]:
    runs, profiles = [], []
    base = base_values()  # generated_values copies it
    checks = f", checks every {check_interval}" if check_interval else ""
    for size in sizes:
        for shape, parents_of in SHAPES.items():
            if shape == "chain" and size > LONGEST_CHAIN:
                continue
            parents = parents_of(size)
            data = generated_values(base, parents, next_port, check_interval)
            values = write_values(data, workdir / f"scale-{stack.sidecar}-{shape}-{size}{check_interval}.yaml")
            since = time.time()
            applied = stack.deployer(values, "apply")
            run = ScaleRun(stack.sidecar, shape, size, dependency_levels(parents), applied.seconds, applied.code == 0,
                           check_interval=check_interval)
            if not run.ok:
                run.failure = failure_reason(applied, stack.data_dir, since)
            log(f"  {stack.sidecar} {shape:5} {size:3} services ({run.levels} levels{checks}): apply {run.apply_s:.2f} s"
                f"{'' if run.ok else ' FAILED: ' + run.failure}")
            if run.ok and shape == "tree" and (size >= PROFILED_FROM or size in (SMALL_SERVICES, max(sizes))):
                try:
                    profile = profile_mesh(stack, values, data, shape, idle_seconds, flips, log)
                except Exception as exc:  # noqa: BLE001 -- the apply figures stand; say why the profile is missing
                    profile = ScaleProfile(stack.sidecar, shape, size, False, 0.0,
                                           note=f"profile failed: {type(exc).__name__}: {exc}")
                    log(f"  profile FAILED: {exc}")
                profile.check_interval = check_interval
                profiles.append(profile)
            run.destroy_s = destroy(stack, values)
            runs.append(run)
    return runs, profiles
