"""The one error type of the jobspec package."""


class JobspecError(Exception):
    """A jobspec that cannot be parsed or is invalid; str() is one line naming where."""

    def __init__(self, message, path=(), line=None):
        self.message = message
        self.path = tuple(path)
        self.line = line
        where = " -> ".join(self.path)
        text = f"{where}: {message}" if where else message
        super().__init__(f"{text} (line {line})" if line else text)
