"""`python -m devagent validate FILE...`: Nomad's job admission without an agent, printed as `nomad job validate` does."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from devagent.gopanic import GoPanic
from devagent.jobspec.hcl_reader import FILENAME

ENV_PREFIX = "NOMAD_VAR_"
AGENT_REGION = "global"  # a `nomad agent -dev`'s region
USAGE_EPILOG = """exit codes: 0 every job is valid, 1 a job is invalid or cannot be read, 2 Nomad would panic on a job

examples:
  python -m devagent validate jobs/rendered/dev/*.nomad.hcl
  python -m devagent validate -json job.json
"""


def build_parser() -> argparse.ArgumentParser:
    """The validate command's flags."""
    parser = argparse.ArgumentParser(
        prog="devagent validate", epilog=USAGE_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Parse each job file and run Nomad v1.8's admission on it (the agent's conversion, the server's "
                    "mutators and validators), as POST /v1/validate/job does; no agent is needed.")
    parser.add_argument("-json", "--json", action="store_true", help="the files hold JSON jobs (bare or {\"Job\": ...})")
    parser.add_argument("-var", "--var", action="append", default=[], metavar="KEY=VALUE",
                        help="an HCL2 variable's value (repeatable)")
    parser.add_argument("-var-file", "--var-file", action="append", default=[], type=Path, metavar="FILE",
                        help="an HCL2 file of variable values (repeatable)")
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="job files (HCL2, or JSON with -json)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Validate every file; 0 when all are valid, 1 otherwise."""
    args = build_parser().parse_args(argv)
    try:
        command_line = _command_line(args.var, args.var_file)
    except (OSError, ValueError) as exc:
        print(f"Error parsing variables: {exc}", file=sys.stderr)
        return 1
    try:
        results = [validate_file(path, args.json, prefix=len(args.files) > 1, command_line=command_line)
                   for path in args.files]
    except GoPanic as exc:
        # `nomad job validate` panics in ApiJobToStructJob on such a job: Go prints the panic and exits 2
        print(f"panic: {exc}", file=sys.stderr)
        return 2
    return 0 if all(results) else 1


def _command_line(pairs: list[str], files: list[Path]):
    """The CLI's variable values: NOMAD_VAR_* from the environment, each -var-file, each -var (later wins)."""
    from devagent.jobspec import CommandLine
    values = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"-var {pair!r}: expected KEY=VALUE")
        values[key.strip()] = value
    env = {name.removeprefix(ENV_PREFIX): value for name, value in os.environ.items() if name.startswith(ENV_PREFIX)}
    return CommandLine(env, [(str(path), path.read_text()) for path in files], values)


def validate_file(path: Path, as_json: bool, prefix: bool = False, command_line=None) -> bool:
    """Print Nomad's verdict on one file; True when the job is valid."""
    head = f"{path}: " if prefix else ""
    try:
        job = _read_job(path, as_json, command_line)
    except (OSError, ValueError) as exc:
        print(f"{head}Error getting job struct: {exc}", file=sys.stderr)
        return False
    from devagent.admission.pipeline import AdmissionError, RequestError, validate_local, validate_response
    try:
        if job.get("Region") not in (None, "", AGENT_REGION):
            # the CLI asks the job's own region (client.SetRegion); a dev agent has no path to another one
            raise AdmissionError("No path to region")
        response = validate_response(job)
    except (AdmissionError, GoPanic):
        # The agent answers a mutator's error with a 500 (or drops the connection when it panics);
        # `nomad job validate` then validates the job locally (no admission hooks) and says so. A panic in
        # the conversion it runs too (ApiJobToStructJob) crashes it: that one reaches main().
        response = validate_local(job)
    except RequestError as exc:
        print(f"{head}Error validating job: {exc}", file=sys.stderr)
        return False
    if not response["DriverConfigValidated"]:
        print(f"{head}Driver configuration not validated since connection to Nomad agent couldn't be established.\n")
    if response["Error"]:
        print(f"{head}Job validation errors:", file=sys.stderr)
        print(response["Error"].rstrip("\n"), file=sys.stderr)
        return False
    if response["Warnings"]:
        print(f"{head}Job Warnings:\n{response['Warnings'].rstrip(chr(10))}\n")
    print(f"{head}Job validation successful")
    return True


def _read_job(path: Path, as_json: bool, command_line=None) -> dict:
    text = path.read_text()
    if as_json:
        try:
            body = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"invalid JSON: {exc}") from None
        job = body.get("Job", body) if isinstance(body, dict) else body
        if not isinstance(job, dict):
            raise ValueError("the JSON is not a job object")
        return job
    from devagent.jobspec import JobspecError, parse_jobspec
    try:
        return parse_jobspec(text, canonicalize=False, allow_fs=True, command_line=command_line)  # as the CLI
    except JobspecError as exc:
        # nomad job validate parses with the file's base name as the diagnostics' file (the parse
        # endpoint says input.hcl) and wraps the error as command/helpers.go's JobGetter does.
        diagnostics = str(exc).replace(f"{FILENAME}:", f"{path.name}:")
        raise ValueError(f"Error parsing job file from {path}:\n{diagnostics}") from None
