"""`deployer status`: jobs, allocations, deployments, Consul registrations and checks, intentions.

Exit 0 only when everything shown is healthy; 2 when something is not (the reason per job is
printed); 1 when Nomad or Consul cannot be asked (including an address that is not Nomad).
"""

from __future__ import annotations

from deployer.errors import EXIT_FAILED_DEPLOY, DeployerError
from deployer.health import check_statuses, summarize
from deployer.intentions.commands import print_intentions, report_changes
from deployer.intentions.library import pending_changes
from deployer.nomad_jobs import blocking_get, is_managed, managed_jobs, read_job
from deployer.watch import canary_note, requires_promotion

NOT_NOMAD_HINT = "check --nomad-addr / NOMAD_ADDR: it must be a Nomad agent's HTTP API (e.g. http://127.0.0.1:4646)"


def require_nomad(clients) -> None:
    """Fail with one line unless the address answers GET /v1/agent/self as a Nomad agent does (a token
    without agent:read gets Nomad's own refusal, which says as much)."""
    url = clients.endpoints.nomad_addr
    response = clients.nomad_get("/v1/agent/self", refuse_forbidden=False)
    if response.status_code == 403 and response.text.strip() == "Permission denied":
        return
    try:
        body = response.json() if response.ok else None
    except ValueError:
        body = None
    if not isinstance(body, dict) or not isinstance(body.get("config"), dict) or "member" not in body:
        what = f"HTTP {response.status_code}" if not response.ok else "an answer that is not Nomad's agent info"
        raise DeployerError(f"{url} does not answer like Nomad (GET /v1/agent/self: {what})", hint=NOT_NOMAD_HINT)


def _live_allocations(clients, job_id: str) -> list[dict]:
    stubs, _ = blocking_get(clients, f"/v1/job/{job_id}/allocations")
    return [a for a in stubs or [] if a.get("DesiredStatus") == "run"]


def _registered_instances(clients, service: str) -> int:
    return len(clients.consul_http.get_json(f"/v1/health/service/{service}") or [])


def job_problems(job: dict, allocs: list[dict], deployment: dict | None, registered: int,
                 service: str, sidecar: str) -> list[str]:
    """Why a job is not healthy, one short reason each (empty: healthy)."""
    if job.get("Stop"):
        return ["job is stopped"]
    desired = sum(g.get("Count", 1) for g in job.get("TaskGroups") or [])
    running = [a for a in allocs if a.get("ClientStatus") == "running"]
    problems = []
    for status in ("failed", "pending", "lost", "unknown"):
        count = sum(1 for a in allocs if a.get("ClientStatus") == status)
        if count:
            problems.append(f"{count} allocation(s) {status}")
    unhealthy = sum(1 for a in running if (a.get("DeploymentStatus") or {}).get("Healthy") is False)
    if unhealthy:
        problems.append(f"{unhealthy} allocation(s) unhealthy")
    if len(running) < desired:
        problems.append(f"{len(running)}/{desired} allocations running")
    if deployment and deployment.get("JobVersion") == job.get("Version"):
        if deployment.get("Status") == "failed":
            problems.append(f"deployment failed: {deployment.get('StatusDescription') or 'no reason given'}")
        elif requires_promotion(deployment):
            problems.append(canary_note(job["ID"], deployment) or "canaries wait for promotion")
        elif deployment.get("Status") in ("running", "paused", "pending"):
            problems.append(f"deployment {deployment['Status']}")
    if running and registered < len(running):
        problems.append(f"{len(running) - registered} of {len(running)} running allocation(s) not registered in Consul")
    if service != "passing":
        problems.append(f"service checks: {service}")
    if sidecar != "passing":
        problems.append(f"sidecar checks: {sidecar}")
    return problems


def job_status(clients, job_id: str, job: dict | None = None) -> dict:
    """One job's row: version, allocations, deployment, Consul registrations and checks, and its problems."""
    job = job or read_job(clients, job_id)
    if job is None:
        return {"job": job_id, "present": False, "managed": False, "version": None, "status": "not found",
                "deployment": None, "healthy": 0, "desired": 0, "service": "-", "sidecar": "-",
                "problems": ["not deployed"]}
    allocs = _live_allocations(clients, job_id)
    deployment, _ = blocking_get(clients, f"/v1/job/{job_id}/deployment")
    service = summarize(check_statuses(clients, job_id))
    sidecar = summarize(check_statuses(clients, f"{job_id}-sidecar-proxy"))
    registered = _registered_instances(clients, job_id)
    healthy = sum(1 for a in allocs if a.get("ClientStatus") == "running"
                  and (a.get("DeploymentStatus") or {}).get("Healthy") is not False)
    return {"job": job_id, "present": True, "managed": is_managed(job), "version": job.get("Version"),
            "status": job.get("Status"), "deployment": (deployment or {}).get("Status"),
            "healthy": healthy, "desired": sum(g.get("Count", 1) for g in job.get("TaskGroups") or []),
            "service": service, "sidecar": sidecar,
            "problems": job_problems(job, allocs, deployment, registered, service, sidecar)}


def cmd_status(ctx, args) -> int:
    """Print every job of the values (and any other job we manage), then the intentions; exit 2 if unhealthy."""
    require_nomad(ctx.clients)
    names = list(ctx.values.services)
    managed = managed_jobs(ctx.clients)
    names += sorted(set(managed) - set(names))
    rows = [job_status(ctx.clients, name, managed.get(name)) for name in names]
    backend, changes = pending_changes(ctx.clients, ctx.values)
    intentions = backend.list()
    drift = changes.lines()
    healthy = not drift and not any(r["problems"] for r in rows)
    if ctx.json:
        ctx.console.json({"healthy": healthy, "jobs": rows, "intentions": [i.as_json() for i in intentions],
                          "intention_drift": drift})
        return 0 if healthy else EXIT_FAILED_DEPLOY
    ctx.console.table(
        ["JOB", "VERSION", "STATUS", "DEPLOYMENT", "HEALTHY", "SERVICE", "SIDECAR"],
        [[r["job"] + ("" if r["managed"] or not r["present"] else " (not ours)"),
          "-" if r["version"] is None else str(r["version"]), r["status"] or "-", r["deployment"] or "-",
          f"{r['healthy']}/{r['desired']}", r["service"], r["sidecar"]] for r in rows])
    ctx.console.line()
    print_intentions(ctx.console, intentions)
    if drift:
        ctx.console.line()
        ctx.console.line("intentions differ from the declared policy (`deployer apply` or `deployer intentions apply`):")
        report_changes(ctx.console, changes, done=False)
    unhealthy = [r for r in rows if r["problems"]]
    if unhealthy:
        ctx.console.line()
    for row in unhealthy:
        ctx.console.line(f"{row['job']}: not healthy: {'; '.join(row['problems'])}")
    return 0 if healthy else EXIT_FAILED_DEPLOY
