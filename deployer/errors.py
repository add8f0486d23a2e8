"""Errors the deployer reports to people: one message, one hint, one exit code."""

from __future__ import annotations

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_FAILED_DEPLOY = 2
EXIT_INTERRUPTED = 130
EXIT_PLAN_ERROR = 255


class DeployerError(Exception):
    """A failure explained in one line, with a hint about what to do next."""

    exit_code = EXIT_ERROR

    def __init__(self, message: str, hint: str | None = None, details: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.details = list(details or [])

    def __str__(self) -> str:
        return self.message


class DeploymentFailed(DeployerError):
    """A job failed to place or its deployment failed (exit 2, like `nomad job run`)."""

    exit_code = EXIT_FAILED_DEPLOY


class Interrupted(DeployerError):
    """The user pressed Ctrl-C; says what had already been submitted."""

    exit_code = EXIT_INTERRUPTED
