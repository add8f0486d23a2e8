"""Fixtures for deployer tests: a clean environment and a helper that runs main(argv)."""

from dataclasses import dataclass

import pytest

from deployer.cli import main

ENV_VARS = ("NOMAD_ADDR", "NOMAD_TOKEN", "CONSUL_HTTP_ADDR", "CONSUL_HTTP_TOKEN", "NO_COLOR")


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return self.err.strip().splitlines()


@pytest.fixture
def run_cli(monkeypatch, capsys):
    """Call deployer.cli.main(argv) with no NOMAD_/CONSUL_ variables from the outside."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)

    def run(*argv: str) -> Run:
        code = main(list(argv))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def assert_one_error(result: Run, code: int = 1, contains: str = "") -> None:
    """Exactly an `error:` line and a `hint:` line, no traceback."""
    assert result.code == code, result
    lines = result.err_lines
    assert len(lines) == 2, lines
    assert lines[0].startswith("error: ") and contains in lines[0], lines
    assert lines[1].startswith("hint: "), lines
    assert "Traceback" not in result.err
