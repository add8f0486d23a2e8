"""`deployer status`: jobs, deployments, Consul health, then intentions."""

from __future__ import annotations

from deployer.health import mesh_health
from deployer.intentions.backend import intentions_backend
from deployer.intentions.commands import print_intentions
from deployer.nomad_jobs import blocking_get, is_managed, managed_jobs, read_job
from deployer.watch import deployment_counts


def job_status(clients, job_id: str, job: dict | None = None) -> dict:
    """One job's row: version, deployment status, healthy/desired, Consul checks (job: if already read)."""
    job = job or read_job(clients, job_id)
    if job is None:
        return {"job": job_id, "present": False, "managed": False, "version": None, "status": "not found",
                "deployment": None, "healthy": 0, "desired": 0, "service": "-", "sidecar": "-"}
    deployment, _ = blocking_get(clients, f"/v1/job/{job_id}/deployment")
    healthy, desired = deployment_counts(deployment) if deployment else (0, 0)
    return {"job": job_id, "present": True, "managed": is_managed(job), "version": job.get("Version"),
            "status": job.get("Status"), "deployment": (deployment or {}).get("Status"),
            "healthy": healthy, "desired": desired, **mesh_health(clients, job_id)}


def cmd_status(ctx, args) -> int:
    """Print every job of the values (and any other job we manage), then the intentions."""
    names = list(ctx.values.services)
    managed = managed_jobs(ctx.clients)
    names += sorted(set(managed) - set(names))
    rows = [job_status(ctx.clients, name, managed.get(name)) for name in names]
    intentions = intentions_backend(ctx.clients).list()
    if ctx.json:
        ctx.console.json({"jobs": rows, "intentions": [i.as_json() for i in intentions]})
        return 0
    ctx.console.table(
        ["JOB", "VERSION", "STATUS", "DEPLOYMENT", "HEALTHY", "SERVICE", "SIDECAR"],
        [[r["job"] + ("" if r["managed"] or not r["present"] else " (not ours)"),
          "-" if r["version"] is None else str(r["version"]), r["status"] or "-", r["deployment"] or "-",
          f"{r['healthy']}/{r['desired']}", r["service"], r["sidecar"]] for r in rows])
    ctx.console.line()
    print_intentions(ctx.console, intentions)
    return 0
