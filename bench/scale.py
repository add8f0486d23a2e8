"""Scale: apply time of generated meshes (a chain and a depth-3 tree) of growing size."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from bench.apply_time import destroy
from bench.results import ScaleRun
from bench.stack import DeployerRun, MeshStack
from bench.values_files import (base_values, chain_parents, dependency_levels, generated_values, tree_parents,
                                write_values)

SHAPES = {"chain": chain_parents, "tree": tree_parents}
# What Envoy prints when it cannot get an inotify instance for its file-based config.
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
                  log=print) -> list[ScaleRun]:
    """Apply each generated mesh from nothing and destroy it again before the next."""
    runs = []
    base = base_values()  # generated_values copies it
    for size in sizes:
        for shape, parents_of in SHAPES.items():
            parents = parents_of(size)
            values = write_values(generated_values(base, parents, next_port),
                                  workdir / f"scale-{stack.sidecar}-{shape}-{size}.yaml")
            since = time.time()
            applied = stack.deployer(values, "apply")
            run = ScaleRun(stack.sidecar, shape, size, dependency_levels(parents), applied.seconds, applied.code == 0)
            if not run.ok:
                run.failure = failure_reason(applied, stack.data_dir, since)
            run.destroy_s = destroy(stack, values)
            runs.append(run)
            log(f"  {stack.sidecar} {shape:5} {size:2} services ({run.levels} levels): apply {run.apply_s:.2f} s"
                f"{'' if run.ok else ' FAILED: ' + run.failure}")
    return runs
