"""HCL2 jobspec -> Nomad's JSON Job, as `POST /v1/jobs/parse` returns it."""

from . import defaults, schema
from .canonicalize import api_canonicalize
from .decoder import decode_block
from .errors import JobspecError
from .hcl_reader import read_hcl


def parse_jobspec(hcl, canonicalize=True):
    """Parse an HCL2 jobspec into Nomad's api.Job JSON; with canonicalize, fill api defaults."""
    body = read_hcl(hcl)
    if body.attributes:
        name = next(iter(body.attributes))
        raise JobspecError(f'unknown top-level attribute "{name}" (only a job block is allowed)',
                           line=body.lines.get(name))
    jobs = [block for block in body.blocks if block.type == "job"]
    for block in body.blocks:
        if block.type != "job":
            kind = "unsupported" if block.type in schema.UNSUPPORTED_BLOCKS else "unknown"
            raise JobspecError(f'{kind} top-level block "{block.type}" (only a job block is allowed)',
                               line=block.line)
    if len(jobs) != 1:
        raise JobspecError(f"expected exactly one job block, found {len(jobs)}",
                           line=jobs[1].line if len(jobs) > 1 else None)
    block = jobs[0]
    if len(block.labels) != 1:
        raise JobspecError('block "job" needs exactly one label, e.g. job "example" { ... }', line=block.line)
    job = decode_block(block, schema.JOB)
    _normalize(job, block.labels[0])
    return api_canonicalize(job) if canonicalize else job


def _normalize(job, job_id):
    """What jobspec2's normalizeJob does after decoding."""
    job.setdefault("Name", job_id)
    job.setdefault("ID", job_id)
    for group in job.get("TaskGroups") or []:
        for network in group.get("Networks") or []:
            _split_ports(network)
        for task in group.get("Tasks") or []:
            for template in task.get("Templates") or []:
                _normalize_template(template)


def _split_ports(network):
    """`port "x" { static = N }` is a reserved port; ports without a static value are dynamic."""
    ports = network.get("DynamicPorts")
    if not ports:
        return
    for port in ports:
        port.setdefault("Value", 0)
        port.setdefault("To", 0)
        port.setdefault("HostNetwork", "")
    reserved = [port for port in ports if port["Value"] > 0]
    dynamic = [port for port in ports if port["Value"] <= 0]
    network["DynamicPorts"] = dynamic or None
    network["ReservedPorts"] = reserved or None


def _normalize_template(template):
    template.setdefault("ChangeMode", "restart")
    template.setdefault("Perms", "0644")
    template.setdefault("Splay", 5 * defaults.SECOND)
    template.setdefault("ErrMissingKey", False)
