"""The Nomad job API calls the deployer makes: parse, read, plan, register, deregister."""

from __future__ import annotations

from deployer.errors import DeployerError
from deployer.ownership import MANAGED_BY, owner_of


def parse_job(clients, job_id: str, hcl: str) -> dict:
    """HCL -> canonical Job JSON, by Nomad itself (POST /v1/jobs/parse)."""
    job = clients.nomad_call(f"parse of job {job_id}", clients.nomad.jobs.parse, hcl, canonicalize=True)
    if not job:
        raise DeployerError(f"Nomad could not parse job {job_id}")
    if job.get("ID") != job_id:
        raise DeployerError(f"rendered job is {job.get('ID')!r}, expected {job_id!r}",
                            hint="the job ID in the template must equal the service name")
    return job


def read_job(clients, job_id: str) -> dict | None:
    """The job as Nomad has it, or None."""
    return clients.nomad_call(f"read job {job_id}", clients.nomad.job.get_job, job_id)


def is_managed(job: dict | None) -> bool:
    """Whether a job carries our ownership mark."""
    return bool(job) and owner_of(job.get("Meta")) == MANAGED_BY


def check_ownership(job_id: str, current: dict | None, force: bool) -> None:
    """Refuse to overwrite a job someone else owns, unless forced."""
    if current is None or is_managed(current) or force:
        return
    owner = owner_of(current.get("Meta")) or "nobody"
    raise DeployerError(f"job {job_id} exists and is not managed by the deployer (managed_by: {owner})",
                        hint="pass --force to overwrite it, or pick another job name")


def plan_job(clients, job: dict) -> dict:
    """Nomad's dry run with a diff (POST /v1/job/:id/plan)."""
    return clients.nomad_call(f"plan of job {job['ID']}", clients.nomad.job.plan_job, job["ID"],
                              {"Job": job}, diff=True) or {}


def register_job(clients, job: dict, modify_index: int) -> dict:
    """Register with EnforceIndex, so a change made since the plan is detected."""
    body = {"Job": job, "EnforceIndex": True, "JobModifyIndex": modify_index}
    try:
        return clients.nomad_call(f"register of job {job['ID']}", clients.nomad.jobs.register_job, body) or {}
    except DeployerError as exc:
        if "Enforcing job modify index" in exc.message:
            raise DeployerError(f"job {job['ID']} was changed by someone else while we planned it",
                                hint="run the command again to plan against the new version") from exc
        raise


def deregister_job(clients, job_id: str, purge: bool = True) -> dict:
    """Stop the job, and purge it (Nomad then forgets its allocations at once, while they still stop)."""
    return clients.nomad_call(f"deregister of job {job_id}", clients.nomad.job.deregister_job,
                              job_id, purge=purge) or {}


def list_jobs(clients) -> list[dict]:
    """Every job stub Nomad knows."""
    return clients.nomad_call("list jobs", clients.nomad.jobs.get_jobs) or []


def managed_jobs(clients, stubs: list[dict] | None = None) -> dict[str, dict]:
    """Our jobs among the stubs (default: every job), by ID, read in full (list stubs may lack Meta)."""
    found = {}
    for stub in list_jobs(clients) if stubs is None else stubs:
        job = read_job(clients, stub["ID"])
        if is_managed(job):
            found[job["ID"]] = job
    return found


def blocking_get(clients, path: str, index: int = 0, wait: str = "5s"):
    """A Nomad blocking query: (data or None on 404, X-Nomad-Index)."""
    params = {"index": index, "wait": wait} if index else {}
    response = clients.nomad_get(path, params=params, timeout=30)
    new_index = int(response.headers.get("X-Nomad-Index", index) or index)
    if response.status_code == 404:
        return None, new_index
    if not response.ok:
        raise DeployerError(f"Nomad GET {path} failed: HTTP {response.status_code} {response.text.strip()[:200]}")
    return response.json(), new_index
