"""Nomad's own verdict on a parsed job, before anything is planned: POST /v1/validate/job."""

from __future__ import annotations

from dataclasses import dataclass, field

from deployer.errors import DeployerError

VALIDATE_PATH = "/v1/validate/job"
VALIDATE_HINT = ("fix the template or the values (`deployer validate` shows Nomad's verdict per job, "
                 "`deployer render` the jobs)")


@dataclass
class JobVerdict:
    """What Nomad said about one job: its errors (the job is invalid) and its warnings."""

    job_id: str
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        """Whether Nomad found no error."""
        return not self.errors

    def as_json(self) -> dict:
        """The --json shape of one verdict."""
        return {"valid": self.valid, "errors": self.errors, "warnings": self.warnings}


class JobsRejected(DeployerError):
    """Nomad found errors in at least one job; the details list them per job."""

    def __init__(self, verdicts: list[JobVerdict]):
        rejected = [v for v in verdicts if not v.valid]
        details = [line for verdict in rejected for line in verdict_lines(verdict)]
        super().__init__(f"Nomad rejected {len(rejected)} job(s): {', '.join(v.job_id for v in rejected)}",
                         hint=VALIDATE_HINT, details=details)


def warning_items(text: str | None) -> list[str]:
    """Nomad's merged warnings ("2 warnings:\\n\\n* a\\n* b") as a list of single warnings."""
    text = (text or "").strip()
    if not text:
        return []
    head, _, body = text.partition("\n")
    if not head.rstrip(":").endswith(("warning", "warnings")) or not body.strip().startswith("* "):
        return [text]
    return [item.strip() for item in ("\n" + body.strip()).split("\n* ") if item.strip()]


def verdict_from_response(job_id: str, status: int, body) -> JobVerdict:
    """A verdict from Nomad's answer: a JobValidateResponse (200) or an error text (400/500)."""
    if status == 200 and isinstance(body, dict):
        errors = [e for e in body.get("ValidationErrors") or [] if e]
        if not errors and body.get("Error"):
            errors = [body["Error"]]
        return JobVerdict(job_id, errors, warning_items(body.get("Warnings")))
    # Nomad answers an error raised before its validators ran (a job mutator, a bad body) as text.
    text = body if isinstance(body, str) else str(body)
    return JobVerdict(job_id, [text.strip() or f"HTTP {status} without a reason"])


def validate_job(clients, job: dict) -> JobVerdict:
    """Ask Nomad to run its admission (mutators and validators) on a parsed job."""
    response = clients.nomad_post(VALIDATE_PATH, {"Job": job})
    if response.status_code == 404:
        raise DeployerError(f"{clients.endpoints.nomad_addr} does not answer POST {VALIDATE_PATH} (HTTP 404)",
                            hint="point NOMAD_ADDR (or --nomad-addr) at a Nomad agent")
    if response.status_code in (400, 500):
        return verdict_from_response(job["ID"], response.status_code, response.text)
    if not response.ok:
        raise DeployerError(f"Nomad validate of job {job['ID']} failed: HTTP {response.status_code} "
                            f"{' '.join(response.text.split())[:200]}")
    try:
        body = response.json()
    except ValueError:
        raise DeployerError(f"Nomad validate of job {job['ID']} answered something that is not JSON",
                            hint="point NOMAD_ADDR (or --nomad-addr) at a Nomad agent") from None
    return verdict_from_response(job["ID"], response.status_code, body)


def verdict_lines(verdict: JobVerdict) -> list[str]:
    """Readable lines for one verdict: the job, then each error and warning, Nomad's text indented."""
    lines = [f"{verdict.job_id}: {'valid' if verdict.valid else 'invalid'}"]
    for kind, texts in (("error", verdict.errors), ("warning", verdict.warnings)):
        for text in texts:
            # Nomad's multi-errors indent every nested "* item" with one tab: show them one level in.
            first, *rest = text.strip().splitlines() or [""]
            lines.append(f"  {kind}: {first}")
            lines += [f"    {line.strip()}" for line in rest if line.strip()]
    return lines
