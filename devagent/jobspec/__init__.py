"""Nomad jobspec support for devagent: HCL2 -> Nomad JSON Job with the api package's defaults."""

from .errors import JobspecError
from .parse import parse_jobspec

__all__ = ["parse_jobspec", "JobspecError"]
