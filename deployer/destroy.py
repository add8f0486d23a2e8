"""`deployer destroy`: our jobs in reverse dependency order, then our intentions."""

from __future__ import annotations

import time

from deployer.errors import DeployerError
from deployer.graph import destroy_levels, service_upstreams
from deployer.interrupts import deferred_interrupt
from deployer.intentions.backend import intentions_backend
from deployer.nomad_jobs import blocking_get, deregister_job, list_jobs, managed_jobs


def wait_deregistered(clients, service: str, timeout: float = 30.0) -> None:
    """Wait until Consul no longer lists the service."""
    deadline = time.monotonic() + timeout
    while clients.consul_http.get_json(f"/v1/catalog/service/{service}"):
        if time.monotonic() > deadline:
            raise DeployerError(f"{service} still registered in Consul {timeout:.0f}s after its job was stopped",
                                hint="check the Nomad client that ran it")
        time.sleep(0.2)


def live_allocations(clients, job_id: str) -> list[str]:
    """IDs of the job's allocations that have not stopped yet."""
    stubs, _ = blocking_get(clients, f"/v1/job/{job_id}/allocations")
    return [a["ID"] for a in stubs or [] if a.get("ClientStatus") in ("pending", "running")]


def wait_allocations_stopped(clients, alloc_ids: list[str], timeout: float = 60.0) -> None:
    """Wait until every allocation has stopped (or is gone), so its ports and processes are free."""
    deadline = time.monotonic() + timeout
    pending = list(alloc_ids)
    while pending:
        alloc, _ = blocking_get(clients, f"/v1/allocation/{pending[0]}")
        if alloc is None or alloc.get("ClientStatus") not in ("pending", "running"):
            pending.pop(0)
            continue
        if time.monotonic() > deadline:
            raise DeployerError(f"allocation {pending[0][:8]} of job {alloc.get('JobID')} still "
                                f"{alloc.get('ClientStatus')} {timeout:.0f}s after its job was stopped",
                                hint="check the Nomad client that runs it")
        time.sleep(0.2)


def destroy_order(values, managed: list[str]) -> list[str]:
    """Managed jobs unknown to the values first, then the values' jobs callers-first."""
    known = [name for level in destroy_levels(service_upstreams(values)) for name in level]
    return sorted(n for n in managed if n not in known) + [n for n in known if n in managed]


def cmd_destroy(ctx, args) -> int:
    """Deregister (purge) our jobs and delete our intentions; leave everything else alone."""
    stubs = list_jobs(ctx.clients)
    managed = managed_jobs(ctx.clients, stubs)
    foreign = sorted(stub["ID"] for stub in stubs if stub["ID"] not in managed)
    stopping, order = [], destroy_order(ctx.values, list(managed))
    for job_id in order:
        stopping += live_allocations(ctx.clients, job_id)
        # Waiting, stop first and purge once the allocations have stopped: a purge makes Nomad forget them
        # at once (their lookups answer 404) while the client is still stopping their tasks.
        deregister_job(ctx.clients, job_id, purge=args.no_wait)
        if not args.no_wait:
            wait_deregistered(ctx.clients, job_id)  # callers leave Consul before what they call
        else:
            ctx.console.line(f"{job_id}: stopped and purged")
    if not args.no_wait:
        wait_allocations_stopped(ctx.clients, stopping)
        for job_id in order:
            deregister_job(ctx.clients, job_id)
            ctx.console.line(f"{job_id}: stopped and purged")
        if stopping:
            ctx.console.line(f"{len(stopping)} allocation(s) stopped")
    if not managed:
        ctx.console.line("no jobs managed by the deployer")
    for job_id in foreign:
        ctx.console.line(f"{job_id}: left alone (not managed by the deployer)")
    backend = intentions_backend(ctx.clients)
    ours = [i for i in backend.list() if i.managed]
    with deferred_interrupt():
        for intention in ours:
            backend.delete(intention)
    for intention in ours:
        ctx.console.line(f"intention {intention.pair} ({intention.action}): deleted")
    if not ours:
        ctx.console.line("no intentions managed by the deployer")
    return 0
