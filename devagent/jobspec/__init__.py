"""Nomad jobspec support for devagent: HCL2 -> Nomad JSON Job with the api package's defaults."""

from .errors import JobspecError
from .parse import CommandLine, parse_jobspec

__all__ = ["CommandLine", "parse_jobspec", "JobspecError"]
