"""HCL2 jobspec -> Nomad's JSON Job, as `POST /v1/jobs/parse` returns it (jobspec2.ParseWithConfig).

Order as jobspec2: the file's top level (variable, variables, locals, job), input
variables and their values, locals, then the job body (dynamic blocks expanded, job-level
`vault` and `task` blocks apart), then normalizeJob; with canonicalize, api.Job.Canonicalize.
"""

from dataclasses import dataclass, field

from . import defaults
from .canonicalize import api_shape, canonicalize_job_struct
from .decoder import Decoder, Scoped, joined_diagnostics
from .errors import JobspecError
from .hcl_eval import Scope
from .hcl_files import file_functions
from .hcl_functions import FUNCTIONS
from .hcl_reader import diagnostic, read_hcl
from .json_syntax import hcl_from_json, is_json
from .variables import declare_variables, evaluate_locals, set_command_line_values, set_variable_values


@dataclass
class CommandLine:
    """What `nomad job validate|run` add to a job file: NOMAD_VAR_* variables, -var-file files, -var values."""

    env: dict = field(default_factory=dict)
    var_files: list = field(default_factory=list)  # (path as given, text)
    args: dict = field(default_factory=dict)


def parse_jobspec(hcl, canonicalize=True, variables=None, allow_fs=False, command_line: CommandLine | None = None):
    """Parse an HCL2 jobspec into Nomad's api.Job JSON; `variables` is HCL var-file content. allow_fs enables
    the filesystem functions (relative to the working directory), as Nomad's CLI does; the API keeps them off.
    command_line: the CLI's variable values (strict: undefined ones are errors)."""
    if isinstance(hcl, str) and is_json(hcl):
        hcl = hcl_from_json(hcl)
    var_files = [_read_var_file(path, text) for path, text in (command_line.var_files if command_line else [])]
    source, body = read_hcl(hcl)
    decoder = Decoder(source)
    root = Scope(source, functions={**FUNCTIONS, **file_functions(".")} if allow_fs else FUNCTIONS)
    decoder.content(Scoped(body, root), (), ("variables", "variable", "locals", "job"),
                    {"variable": ("name",), "job": ("name",)}, ordered=True)
    decoder.collecting = True
    locals_ = {}

    def inputs():
        declared = declare_variables(decoder, body, root)
        if command_line:
            set_command_line_values(declared, command_line.env, {})
        for var_source, var_body in var_files:
            set_variable_values(Decoder(var_source), declared, var_body, strict=True)
        if variables:
            var_source, var_body = _read_var_content(variables)
            set_variable_values(Decoder(var_source), declared, var_body)
        if command_line:
            set_command_line_values(declared, {}, command_line.args)
        root.variables = {"var": declared.values(), "local": locals_}
        evaluate_locals(decoder, body, root, locals_)

    _decode_phase(decoder, inputs)  # jobspec2 stops after the variables and locals when they have errors
    job_id, job, tasks, vault = _decode_phase(decoder, lambda: _decode_job(decoder, body, root))
    _normalize(job, job_id, tasks, vault)
    if canonicalize:
        canonicalize_job_struct(job)
    return api_shape(job)


def _decode_phase(decoder, decode):
    """Run one phase of decodeBody; its diagnostics (kept ones, then the one that stopped it) end the parse."""
    try:
        result = decode()
    except JobspecError as exc:
        raise joined_diagnostics(decoder.diagnostics + [exc]) from None
    if decoder.diagnostics:
        raise joined_diagnostics(decoder.diagnostics)
    return result


def _read_var_file(path, text):
    try:
        return read_hcl(text, path)
    except JobspecError as exc:
        raise JobspecError(f"unable to parse var file: {exc}") from None


def _read_var_content(text):
    try:
        return read_hcl(text)
    except JobspecError as exc:
        raise JobspecError(f"unable to parse var content: {exc}") from None


def _decode_job(decoder, body, scope):
    jobs = [block for block in body.blocks if block.type == "job"]
    if not jobs:
        raise diagnostic(None, "Missing job block", "A job block is required")
    if len(jobs) > 1:
        first = decoder.block_def(jobs[0])
        raise diagnostic(decoder.source, "Duplicate job block", 'Only one block of type "job" is allowed. '
                         f"Previous definition was at {decoder.source.range_text(*first)}.",
                         *decoder.block_def(jobs[1]))
    block = jobs[0]
    scoped = Scoped(block.body, scope)
    meta = decoder.attribute_or_block(scoped, "meta")
    extras = decoder.expand(scoped, {"vault": None, "task": None}, {"task": ("name",)}, (), partial=True)
    vault = None
    tasks = []
    seen_vault = None
    for extra, extra_scope in extras:
        if extra.type == "vault":
            if seen_vault is not None:
                first = decoder.block_def(seen_vault)
                raise diagnostic(decoder.source, "Duplicate vault block", 'Only one block of type "vault" is allowed. '
                                 f"Previous definition was at {decoder.source.range_text(*first)}.",
                                 *decoder.block_def(extra))
            seen_vault = extra
            vault = decoder.decode_struct(Scoped(extra.body, extra_scope), "Vault")
        else:
            task = decoder.decode_struct(Scoped(extra.body, extra_scope), "Task")
            task["Name"] = extra.labels[0]
            tasks.append(task)
    hidden = ("vault", "task") + (("meta",) if meta is not None else ())
    job = decoder.decode_fields(scoped, "Job", hidden)
    if meta is not None:
        job["Meta"] = meta
    return block.labels[0], job, tasks, vault


def _normalize(job, job_id, tasks, vault):
    """jobspec2's normalizeJob."""
    job.setdefault("Name", job_id)
    job.setdefault("ID", job_id)
    periodic = job.get("Periodic")
    if periodic is not None and (periodic.get("Spec") is not None or periodic.get("Specs") is not None):
        periodic["SpecType"] = "cron"
    _normalize_vault(vault)
    if tasks:
        job["TaskGroups"] = [{"Name": task["Name"], "Tasks": [task]} for task in tasks] + (job.get("TaskGroups") or [])
    for group in job.get("TaskGroups") or []:
        _split_ports(group.get("Networks"))
        for task in group.get("Tasks") or []:
            if task.get("Resources") is not None:
                _split_ports(task["Resources"].get("Networks"))
            for template in task.get("Templates") or []:
                _normalize_template(template)
            _normalize_vault(task.get("Vault"))
            if task.get("Vault") is None and vault is not None:
                task["Vault"] = vault
            identities = task.get("Identities") or []
            for index, identity in enumerate(identities):
                if identity.get("Name", "") in ("", "default"):
                    task["Identity"] = identity
                    del identities[index]
                    break


def _normalize_vault(vault):
    if vault is None:
        return
    vault.setdefault("Env", True)
    vault.setdefault("DisableFile", False)
    vault.setdefault("ChangeMode", "restart")


def _split_ports(networks):
    """`port "x" { static = N }` is a reserved port; ports without a static value are dynamic."""
    for network in networks or []:
        ports = network.get("DynamicPorts")
        if not ports:
            continue
        reserved = [port for port in ports if (port.get("Value") or 0) > 0]
        dynamic = [port for port in ports if (port.get("Value") or 0) <= 0]
        network["DynamicPorts"] = dynamic or None
        network["ReservedPorts"] = reserved or None


def _normalize_template(template):
    template.setdefault("ChangeMode", "restart")
    template.setdefault("Perms", "0644")
    template.setdefault("Splay", 5 * defaults.SECOND)
    template.setdefault("ErrMissingKey", False)
    script = template.get("ChangeScript")
    if script is not None:
        if script.get("Args") is None:
            script["Args"] = []
        script.setdefault("Timeout", 5 * defaults.SECOND)
        script.setdefault("FailOnError", False)

