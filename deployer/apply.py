"""`deployer plan` and `deployer apply`."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor, wait

from deployer.commands import validated_jobs
from deployer.errors import Interrupted
from deployer.graph import dependency_levels, service_upstreams
from deployer.interrupts import Cancelled
from deployer.intentions.commands import report_changes, report_changes_enforced
from deployer.intentions.enforcement import EnforcementProbe
from deployer.intentions.library import sync_intentions
from deployer.pipeline import JobDeployer, plan_one
from deployer.plan_summary import summarize_plan
from deployer.progress import ProgressView


def plan_all(ctx, only) -> list:
    """Render, parse and validate the selected jobs (all must pass), then plan them in dependency order."""
    selected = ctx.selected_jobs(only)
    order = [name for level in dependency_levels(service_upstreams(ctx.values)) for name in level
             if name in selected]
    jobs = validated_jobs(ctx, order)
    return [plan_one(ctx.clients, jobs[name], ctx.force) for name in order]


def cmd_plan(ctx, args) -> int:
    """Show Nomad's plan per job: exit 0 without changes, 1 with changes (errors: 255)."""
    planned = plan_all(ctx, args.only)
    if ctx.json:
        ctx.console.json({p.job_id: {"changes": p.changed, "diff_type": (p.plan.get("Diff") or {}).get("Type")}
                          for p in planned})
    else:
        for item in planned:
            for line in summarize_plan(item.job_id, item.plan):
                ctx.console.line(line)
    return 1 if any(p.changed for p in planned) else 0


def cmd_apply(ctx, args) -> int:
    """Plan everything, then register level by level, watch, confirm health, sync intentions."""
    started = time.monotonic()
    planned = {p.job_id: p for p in plan_all(ctx, args.only)}
    levels = [[n for n in level if n in planned] for level in dependency_levels(service_upstreams(ctx.values))]
    levels = [level for level in levels if level]
    submitted: list[str] = []
    cancel = threading.Event()
    view = ProgressView(ctx.console, [n for level in levels for n in level]).start()
    deployer = JobDeployer(ctx.clients, view, cancel, submitted)
    results = []
    try:
        for level in levels:
            results += _run_level(deployer, [planned[n] for n in level], cancel)
    except KeyboardInterrupt:
        cancel.set()
        raise _interrupted(submitted) from None
    finally:
        view.stop()
    with EnforcementProbe(ctx.clients) as probe:
        try:
            changes = sync_intentions(ctx.clients, ctx.values, probe)
        except KeyboardInterrupt:
            raise _interrupted(submitted) from None
        for result in results:
            ctx.console.line(result.summary())
        if _intentions_were_lost(changes, results):
            ctx.console.line(f"intentions: Consul had none of the {len(changes.create)} declared intention(s) "
                             "although the jobs were already deployed (its state was lost, e.g. a restarted dev "
                             "agent keeps none); restoring them")
        report_changes(ctx.console, changes, done=True)
        report_changes_enforced(ctx, changes, probe)
    changed = [r.job_id for r in results if r.submitted]
    summary = f"{len(changed)} job(s) updated" if changed else "no changes to jobs"
    ctx.console.line(f"apply complete in {time.monotonic() - started:.1f}s: {summary}")
    return 0


def _intentions_were_lost(changes, results: list) -> bool:
    """Every declared intention had to be created while some jobs were already running unchanged."""
    only_creates = bool(changes.create) and not (changes.update or changes.delete or changes.conflicts)
    return only_creates and any(not r.submitted for r in results)


def _run_level(deployer: JobDeployer, jobs: list, cancel: threading.Event) -> list:
    """Deploy the jobs of one level in parallel; raise the first failure once all settled."""
    with ThreadPoolExecutor(max_workers=len(jobs), thread_name_prefix="apply") as pool:
        futures = [pool.submit(deployer.deploy, job) for job in jobs]
        try:
            wait(futures)
        except KeyboardInterrupt:
            cancel.set()
            wait(futures)
            raise
    for future, job in zip(futures, jobs):
        error = future.exception()
        if isinstance(error, Cancelled):
            raise KeyboardInterrupt
        if error is not None:
            deployer.view.update(job.job_id, stage="failed")
            raise error
    return [future.result() for future in futures]


def _interrupted(submitted: list[str]) -> Interrupted:
    done = ", ".join(submitted) if submitted else "nothing"
    return Interrupted(f"interrupted; already submitted to Nomad: {done}",
                       hint="run `deployer apply` again to finish (intentions were not half-written)")
