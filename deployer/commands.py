"""`deployer render`, `deployer validate` and `deployer verify`."""

from __future__ import annotations

from deployer.errors import DeployerError
from deployer.nomad_jobs import parse_job
from deployer.render import write_jobs
from deployer.validation import JobsRejected, JobVerdict, validate_job, verdict_lines
from deployer.verify.checks import rows_as_json, run_verify


def cmd_render(ctx, args) -> int:
    """Print every job's HCL, or write <job>.nomad.hcl files into --out."""
    rendered = ctx.rendered_jobs()
    selected = ctx.selected_jobs(args.only)
    if not args.out:
        for name in selected:
            ctx.console.line(f"# ---- {name}.nomad.hcl")
            ctx.console.line(rendered[name].rstrip("\n"))
        return 0
    try:
        paths = write_jobs({name: rendered[name] for name in selected}, args.out)
    except OSError as exc:
        raise DeployerError(f"cannot write into {args.out}: {exc.strerror}",
                            hint="pick a writable --out directory") from exc
    for path in paths:
        ctx.console.line(f"wrote {path}")
    return 0


def judged_jobs(ctx, names: list[str]) -> tuple[dict[str, dict], list[JobVerdict]]:
    """Render, parse (POST /v1/jobs/parse) and validate (POST /v1/validate/job) each named job."""
    rendered = ctx.rendered_jobs()
    jobs = {name: parse_job(ctx.clients, name, rendered[name]) for name in names}
    return jobs, [validate_job(ctx.clients, job) for job in jobs.values()]


def validated_jobs(ctx, names: list[str]) -> dict[str, dict]:
    """The parsed jobs once Nomad found no error in any; its warnings go to stderr, its errors raise."""
    jobs, verdicts = judged_jobs(ctx, names)
    if not all(v.valid for v in verdicts):
        raise JobsRejected(verdicts)
    for verdict in verdicts:
        for text in verdict.warnings:
            ctx.console.warning(f"job {verdict.job_id}: {' '.join(text.split())}")
    return jobs


def cmd_validate(ctx, args) -> int:
    """Nomad's verdict on every job: errors and warnings per job; exit 1 if any job has an error."""
    _, verdicts = judged_jobs(ctx, ctx.selected_jobs(args.only))
    if ctx.json:
        ctx.console.json({v.job_id: v.as_json() for v in verdicts})
    else:
        for verdict in verdicts:
            for line in verdict_lines(verdict):
                ctx.console.line(line)
        valid = sum(v.valid for v in verdicts)
        ctx.console.line(f"validate: {valid}/{len(verdicts)} jobs valid")
    return 0 if all(v.valid for v in verdicts) else 1


def cmd_verify(ctx, args) -> int:
    """Run every verify check, print the table; exit 0 only if all match."""
    rows = run_verify(ctx.clients, ctx.values)
    if ctx.json:
        ctx.console.json(rows_as_json(rows))
    else:
        console = ctx.console
        console.table(["CHECK", "EXPECTED", "OBSERVED", "OK"],
                      [[r.check, r.expected, r.observed,
                        console.paint("ok", "green") if r.ok else console.paint("MISMATCH", "red")] for r in rows])
        bad = [r for r in rows if not r.ok]
        for row in bad:
            console.line(f"  {row.check}: {row.detail}")
        console.line(f"verify: {len(rows) - len(bad)}/{len(rows)} checks ok")
    return 0 if all(r.ok for r in rows) else 1
