"""Nomad's job admission in Nomad's order: api canonicalize, ApiJobToStructJob, the mutators, the validators."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from devagent.admission import connect_hook, expose_check_hook, implied_constraints, server_hooks
from devagent.admission.api_to_structs import api_job_to_struct_job
from devagent.admission.multierror import MultiError
from devagent.admission.structs_canonicalize import canonicalize_job
from devagent.jobspec.json_types import go_field


class AdmissionError(ValueError):
    """A job Nomad's admission rejects; str() is Nomad's error text, .validation_errors each validator's."""

    def __init__(self, text: str, validation_errors: list[str] | None = None):
        super().__init__(text)
        self.validation_errors = validation_errors if validation_errors is not None else [text]


class RequestError(ValueError):
    """A request body the HTTP agent refuses before admission (a 400 with Go's decoding text)."""


@dataclass
class Admitted:
    """The job as the server stores it, and the warnings for the reply."""

    job: dict
    warnings: list[str] = field(default_factory=list)

    def warnings_text(self) -> str:
        """helper.MergeMultierrorWarnings: "" or a go-multierror list of the warnings."""
        return merge_warnings(self.warnings)


def merge_warnings(warnings: list) -> str:
    """helper.MergeMultierrorWarnings: "N warning(s):" then "\n* <trimmed text>" per warning (nested lists flattened)."""
    flat = MultiError().append(*warnings).errors
    if not flat:
        return ""
    head = "1 warning:\n" if len(flat) == 1 else f"{len(flat)} warnings:\n"
    return head + "".join(f"\n* {str(warning).strip()}" for warning in flat)


def _canonicalize(job: dict) -> tuple[dict, list]:
    canonicalize_job(job)
    server_hooks.canonicalize_priority(job)
    return job, []


# (name, mutate) in NewJobEndpoints' order.
MUTATORS = (
    ("canonicalize", _canonicalize),
    ("vault", server_hooks.vault_mutate),
    ("consul", server_hooks.consul_mutate),
    (connect_hook.NAME, connect_hook.mutate),
    (expose_check_hook.NAME, expose_check_hook.mutate),
    (implied_constraints.NAME, implied_constraints.mutate),
    ("node-pool-mutation", server_hooks.node_pool_mutate),
    ("implicit-identities", server_hooks.implicit_identities_mutate),
    ("numa", lambda job: (job, [])),
)
# (name, validate) in NewJobEndpoints' order.
VALIDATORS = (
    (connect_hook.NAME, connect_hook.validate),
    (expose_check_hook.NAME, expose_check_hook.validate),
    ("vault", server_hooks.vault_validate),
    ("consul", server_hooks.consul_validate),
    ("namespace-constraint-check", server_hooks.namespace_validate),
    ("node-pool-validation", server_hooks.node_pool_validate),
    ("validate", server_hooks.job_validate),
    ("memory_oversubscription", server_hooks.memory_oversubscription_validate),
    ("numa", server_hooks.numa_validate),
    ("schedule", server_hooks.schedule_validate),
)


def to_structs(api_job: dict, agent_region: str | None = None, namespace: str = "") -> dict:
    """The HTTP agent's part: api.Job.Canonicalize() then ApiJobToStructJob; register and plan (agent_region
    given) also set the job's region as regionForJob does, and a request's namespace overrides the job's."""
    from devagent.jobspec.canonicalize import api_canonicalize
    from devagent.jobspec.errors import JobspecError
    try:
        canonical = api_canonicalize(api_job)
    except JobspecError as exc:
        raise RequestError(str(exc)) from None
    job = api_job_to_struct_job(canonical)
    if agent_region is not None:
        job["Region"] = regions_for_job(api_job, agent_region)[1]
    if namespace:
        job["Namespace"] = namespace
    return job


def regions_for_job(api_job: dict, agent_region: str, query_region: str = "", body_region: str = "") -> tuple[str, str]:
    """regionForJob: (the region the request goes to, the job's region). The body's region wins over ?region=,
    either over the job's own; none, or "global", is the agent's; a multiregion job's region is "global"."""
    forwarded = body_region or query_region or go_field(api_job, "Region") or ""
    if forwarded in ("", "global"):
        forwarded = agent_region
    return forwarded, "global" if go_field(api_job, "Multiregion") is not None else forwarded


def mutate(job: dict) -> tuple[dict, list]:
    """admissionMutators: each mutator in turn; the first error stops with its name."""
    warnings: list = []
    for name, mutator in MUTATORS:
        try:
            job, more = mutator(job)
        except (connect_hook.ConnectError, expose_check_hook.ExposeCheckError) as exc:
            raise AdmissionError(f"error in job mutator {name}: {exc}") from None
        warnings.extend(more)
    return job, warnings


def run_validators(job: dict) -> tuple[list, MultiError | None]:
    """admissionValidators: every validator runs on a copy; their errors are appended into one multierror."""
    job = copy.deepcopy(job)
    warnings: list = []
    errors = None
    for _name, validator in VALIDATORS:
        more, error = validator(job)
        warnings.extend(more)
        if error is not None:
            errors = (errors or MultiError()).append(error)
    return warnings, errors


def admit(api_job: dict, agent_region: str = "global", namespace: str = "") -> Admitted:
    """Register and plan: the job the server stores, or AdmissionError with Nomad's text."""
    job, warnings = mutate(to_structs(api_job, agent_region, namespace))
    validate_warnings, errors = run_validators(job)
    if errors is not None:
        raise AdmissionError(str(errors), [str(e) for e in errors.errors])
    return Admitted(job, warnings + validate_warnings)


def validate_response(api_job: dict) -> dict:
    """POST /v1/validate/job: Nomad's JobValidateResponse (a mutator error is a request error, as on Nomad)."""
    job = to_structs(api_job)
    if job["Namespace"] == "":  # the request's namespace is the job's, and RPC reads "" as "default"
        raise AdmissionError('mismatched request namespace in request: "default", ""')
    job, mutate_warnings = mutate(job)
    validate_warnings, errors = run_validators(job)
    return {
        "DriverConfigValidated": True,
        "ValidationErrors": [str(e) for e in errors.errors] if errors is not None else None,
        "Error": str(errors) if errors is not None else "",
        "Warnings": merge_warnings(validate_warnings + mutate_warnings),
    }


def validate_local(api_job: dict) -> dict:
    """command/job_validate.go validateLocal, what `nomad job validate` answers when the agent's reply is an error
    (a mutator's, say): ApiJobToStructJob, job.Canonicalize(), Validate() and Warnings(), no admission hooks."""
    from devagent.admission.job_validate import validate_job
    job = to_structs(api_job)
    canonicalize_job(job)
    error, warnings = validate_job(job)
    return {
        "DriverConfigValidated": False,
        "ValidationErrors": [str(e) for e in error.errors] if error is not None else None,
        "Error": str(error) if error is not None else "",
        "Warnings": merge_warnings(warnings),
    }
