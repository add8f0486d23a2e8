"""Where Nomad's Go code panics on a job (a nil pointer it dereferences), devagent fails the same way."""


class GoPanic(RuntimeError):
    """Nomad panics here: the HTTP agent drops the connection unanswered, the CLI crashes with exit code 2."""

    def __init__(self, reason: str = "runtime error: invalid memory address or nil pointer dereference"):
        super().__init__(reason)
