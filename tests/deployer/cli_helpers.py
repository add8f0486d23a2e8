"""Helpers for tests that call deployer.cli.main(argv)."""

from dataclasses import dataclass


@dataclass
class Run:
    """Exit code and captured output of one main(argv) call."""

    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return self.err.strip().splitlines()


def assert_one_error(result: Run, code: int = 1, contains: str = "") -> None:
    """Exactly an `error:` line and a `hint:` line, no traceback."""
    assert result.code == code, result
    lines = result.err_lines
    assert len(lines) == 2, lines
    assert lines[0].startswith("error: ") and contains in lines[0], lines
    assert lines[1].startswith("hint: "), lines
    assert "Traceback" not in result.err
