"""Fixtures for deployer tests: run main(argv) in a clean environment."""

import pytest

from deployer.cli import main
from tests.deployer.cli_helpers import Run

ENV_VARS = ("NOMAD_ADDR", "NOMAD_TOKEN", "NOMAD_NAMESPACE", "NOMAD_REGION", "CONSUL_HTTP_ADDR", "CONSUL_HTTP_TOKEN",
            "NO_COLOR")


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
