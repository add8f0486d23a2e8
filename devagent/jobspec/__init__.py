"""Nomad jobspec support for devagent: HCL2 -> Nomad JSON Job, defaults and validation."""

from .canonicalize import canonicalize_job
from .errors import JobspecError
from .parse import parse_jobspec

__all__ = ["parse_jobspec", "canonicalize_job", "JobspecError"]
