"""Go's encoding/json for the small request structs of Nomad's HTTP API (api.JobRegisterRequest, ...).

The agent decodes a request body into its struct before anything else; a JSON value of the wrong
type is a 400 with Go's text, e.g. `json: cannot unmarshal string into Go struct field
JobRegisterRequest.JobModifyIndex of type uint64`. Field names match exactly, then
case-insensitively; unknown fields are ignored; null leaves the zero value. The Job itself is
decoded by the admission pipeline (devagent.jobspec.json_types); here it only has to be an object.
"""

from __future__ import annotations

from devagent.http_server import HttpError
from devagent.go_json import number_text
from devagent.gopanic import GoPanic
from devagent.jobspec.errors import JobspecError
from devagent.jobspec.json_types import decode_job, json_kind

_INT_RANGES = {"int": (-(2 ** 63), 2 ** 63 - 1), "uint64": (0, 2 ** 64 - 1)}

# The request structs devagent decodes: field name -> Go type.
# api.WriteRequest, which the job requests embed: Go names its fields under the outer struct.
_WRITE_REQUEST = {"Region": "string", "Namespace": "string", "SecretID": "string"}
JOB_REGISTER = ("JobRegisterRequest", {"Job": "api.Job", "EnforceIndex": "bool", "JobModifyIndex": "uint64",
                                       "PolicyOverride": "bool", "PreserveCounts": "bool", "EvalPriority": "int",
                                       "Submission": "api.JobSubmission", **_WRITE_REQUEST})
JOB_PLAN = ("JobPlanRequest", {"Job": "api.Job", "Diff": "bool", "PolicyOverride": "bool", **_WRITE_REQUEST})
JOB_VALIDATE = ("JobValidateRequest", {"Job": "api.Job", **_WRITE_REQUEST})
JOBS_PARSE = ("JobsParseRequest", {"JobHCL": "string", "HCLv1": "bool", "Variables": "string", "Canonicalize": "bool"})
JOB_REVERT = ("JobRevertRequest", {"JobID": "string", "JobVersion": "uint64", "EnforcePriorVersion": "uint64",
                                   "ConsulToken": "string", "VaultToken": "string"})
JOB_STABILITY = ("JobStabilityRequest", {"JobID": "string", "JobVersion": "uint64", "Stable": "bool"})
DEPLOYMENT_PROMOTE = ("DeploymentPromoteRequest", {"DeploymentID": "string", "All": "bool", "Groups": "[]string"})
DEPLOYMENT_PAUSE = ("DeploymentPauseRequest", {"DeploymentID": "string", "Pause": "bool"})
DEPLOYMENT_ALLOC_HEALTH = ("DeploymentAllocHealthRequest", {"DeploymentID": "string",
                                                            "HealthyAllocationIDs": "[]string",
                                                            "UnhealthyAllocationIDs": "[]string"})


def check_request(body, request: tuple[str, dict[str, str]]) -> dict:
    """The body decoded into the request struct: {field: value} for the fields it sets; Go's 400 when a value
    does not fit. `null` leaves every field unset, as Go's decoder does."""
    struct, fields = request
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise HttpError(400, f"json: cannot unmarshal {json_kind(body)} into Go value of type api.{struct}")
    folded = {name.lower(): name for name in fields}
    decoded = {}
    for key, value in body.items():
        name = key if key in fields else folded.get(key.lower())
        if name is None:
            continue
        decoded[name] = value  # a later key for the same field wins
        if value is None:
            continue
        if fields[name] == "api.Job" and isinstance(value, dict):
            _check_job_types(value)
            continue
        problem = _mismatch(value, fields[name])
        if problem:
            # Go names the element type when an element of a slice does not fit
            gotype = fields[name].removeprefix("[]") if isinstance(value, list) else fields[name]
            raise HttpError(400, f"json: cannot unmarshal {problem} into Go struct field {struct}.{name} "
                                 f"of type {gotype}")
    return decoded


def _check_job_types(job: dict) -> None:
    """Go decodes the whole body before the agent looks at it: the Job's type errors come first, in document order."""
    try:
        decode_job(job)
    except JobspecError as exc:
        raise HttpError(400, str(exc)) from None
    except GoPanic:
        pass  # a nil entry decodes; Nomad panics on it later, in Canonicalize


def _mismatch(value, gotype: str) -> str | None:
    """What Go calls the value when it does not fit gotype ("string", "number -1"), else None."""
    if gotype == "bool":
        return None if isinstance(value, bool) else json_kind(value)
    if gotype == "string":
        return None if isinstance(value, str) else json_kind(value)
    if gotype.startswith("api."):
        return None if isinstance(value, dict) else json_kind(value)
    if gotype == "[]string":
        if not isinstance(value, list):
            return json_kind(value)
        return next((json_kind(item) for item in value if item is not None and not isinstance(item, str)), None)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return json_kind(value)
    low, high = _INT_RANGES[gotype]
    if isinstance(value, float) or not low <= value <= high:
        return f"number {number_text(value)}"
    return None
