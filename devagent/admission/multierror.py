"""hashicorp/go-multierror as Nomad prints it: nested lists of errors with Go's exact text."""

from __future__ import annotations


class MultiError(Exception):
    """An ordered list of errors (strings or nested MultiErrors), formatted as go-multierror's ListFormatFunc."""

    def __init__(self, errors=None):
        self.errors: list = list(errors or [])
        super().__init__()

    def append(self, *errors) -> "MultiError":
        """multierror.Append: a MultiError's own errors are flattened in, None is skipped."""
        for error in errors:
            if error is None:
                continue
            if isinstance(error, MultiError):
                self.errors.extend(error.errors)
            else:
                self.errors.append(error)
        return self

    def error_or_none(self) -> "MultiError | None":
        """multierror's ErrorOrNil: None when nothing was appended."""
        return self if self.errors else None

    def __len__(self) -> int:
        return len(self.errors)

    def __str__(self) -> str:
        texts = [str(error) for error in self.errors]
        if len(texts) == 1:
            return f"1 error occurred:\n\t* {texts[0]}\n\n"
        points = "\n\t".join(f"* {text}" for text in texts)
        return f"{len(texts)} errors occurred:\n\t{points}\n\n"


def append(existing, *errors) -> MultiError:
    """multierror.Append(existing, errors...): always a MultiError, existing's errors first."""
    result = MultiError()
    if existing is not None:
        result.append(existing)
    return result.append(*errors)
