"""Cold apply: `deployer apply` from no jobs to all healthy, then `verify`, destroying in between."""

from __future__ import annotations

from pathlib import Path

from bench.results import ApplyRun
from bench.stack import MeshStack


def destroy(stack: MeshStack, values: Path) -> float:
    """`deployer destroy`, then wait until no task process is left; returns the seconds it took."""
    run = stack.deployer(values, "destroy").require_ok("destroy")
    stack.wait_no_tasks()
    return run.seconds


def cold_apply(stack: MeshStack, values: Path, log=print) -> ApplyRun:
    """One apply from nothing (the caller made sure nothing runs), then verify; leaves the mesh up."""
    applied = stack.deployer(values, "apply").require_ok("apply")
    verified = stack.deployer(values, "verify")
    log(f"  {stack.sidecar}: apply {applied.seconds:.2f} s, verify {verified.seconds:.2f} s "
        f"({'green' if verified.code == 0 else 'FAILED'})")
    return ApplyRun(stack.sidecar, applied.seconds, verified.seconds, verified.code == 0)
