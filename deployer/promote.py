"""`deployer promote [JOB...]`: promote healthy canaries, then follow the deployment to its end."""

from __future__ import annotations

from deployer.diagnostics import explain_failure
from deployer.errors import DeployerError, DeploymentFailed
from deployer.nomad_jobs import blocking_get
from deployer.watch import canary_counts, deployment_counts, failure_message, requires_promotion, wait_for_deployment


def pending_promotion(clients, job_id: str) -> dict | None:
    """The job's latest deployment if it waits for its canaries to be promoted, else None."""
    deployment, _ = blocking_get(clients, f"/v1/job/{job_id}/deployment")
    return deployment if deployment and requires_promotion(deployment) else None


def promote_deployment(clients, job_id: str, deployment: dict) -> None:
    """POST /v1/deployment/promote/:id for all groups; Nomad's refusal becomes a DeployerError."""
    dep_id = deployment["ID"]
    response = clients.nomad_post(f"/v1/deployment/promote/{dep_id}", {"DeploymentID": dep_id, "All": True})
    if response.ok:
        return
    reason = " ".join(response.text.split()) or f"HTTP {response.status_code}"
    hint = "wait until the canaries are healthy (`deployer status`), then promote again"
    if "healthy allocations" not in reason:
        hint = "see `deployer status`"
    raise DeployerError(f"Nomad refused to promote the canaries of job {job_id}: {reason}", hint=hint)


def cmd_promote(ctx, args) -> int:
    """Promote the canaries of the given jobs (default: every job of the values that has some waiting)."""
    names = list(ctx.values.services)
    unknown = [name for name in args.jobs or [] if name not in names]
    if unknown:
        raise DeployerError(f"unknown job {unknown[0]!r}", hint=f"jobs in {ctx.values.path}: {', '.join(names)}")
    names = list(args.jobs) if args.jobs else names
    promoted = 0
    for job_id in names:
        deployment = pending_promotion(ctx.clients, job_id)
        if deployment is None:
            if args.jobs:
                ctx.console.line(f"{job_id}: nothing to promote (no deployment waits for a promotion)")
            continue
        placed, desired = canary_counts(deployment)
        promote_deployment(ctx.clients, job_id, deployment)
        promoted += 1
        ctx.console.line(f"{job_id}: promoted {placed} canary(ies) of version {deployment.get('JobVersion')} "
                         f"(deployment {deployment['ID'][:8]}); replacing the old version")
        if args.no_wait:
            continue
        seen: list[tuple[int, int]] = []

        def progress(healthy: int, wanted: int, job_id=job_id, seen=seen) -> None:
            if not seen or seen[-1] != (healthy, wanted):
                seen.append((healthy, wanted))
                ctx.console.line(f"{job_id}: {healthy}/{wanted} healthy")
        promoted_now, _ = blocking_get(ctx.clients, f"/v1/deployment/{deployment['ID']}")
        final = wait_for_deployment(ctx.clients, promoted_now or deployment, progress)
        if final.get("Status") != "successful":
            raise DeploymentFailed(failure_message(job_id, final), details=explain_failure(ctx.clients, job_id, final),
                                   hint="fix the job and run `deployer apply` again")
        healthy, wanted = deployment_counts(final)
        ctx.console.line(f"{job_id}: deployment {final['ID'][:8]} successful ({healthy}/{wanted} healthy)")
    if not promoted and not args.jobs:
        ctx.console.line("nothing to promote: no deployment waits for a promotion")
    return 0
