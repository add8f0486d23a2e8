"""The one error type of the jobspec package."""


class JobspecError(Exception):
    """A jobspec that cannot be parsed or is invalid; str() is one line naming where."""

    def __init__(self, message, path=()):
        self.message = message
        self.path = tuple(path)
        where = " -> ".join(self.path)
        super().__init__(f"{where}: {message}" if where else message)
