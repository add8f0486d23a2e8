"""Bad addresses and closed pipes end with one clean line (or quietly), never 'unexpected ...'."""

import os
import subprocess
import sys

import pytest

from deployer.cli import main
from deployer.cli_help import HELP

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.mark.parametrize("addr, why", [
    ("garbage::", "Port could not be cast"),
    ("http://[::1", "Invalid IPv6 URL"),
    ("ftp://host", "invalid address"),
    ("host:99999", "Port out of range"),
    ("host:0", "invalid address"),
    ("http://host:1/some/path", "has a path or query"),
])
def test_invalid_addresses_are_one_line_errors(addr, why, capsys):
    for flag in ("--consul-addr", "--nomad-addr"):
        assert main([flag, addr, "intentions", "list"]) == 1
        err = capsys.readouterr().err
        assert err.startswith("error: invalid address") and why in err
        assert "unexpected" not in err and "Traceback" not in err
        assert "hint:" in err


def test_output_to_a_closed_pipe_ends_quietly():
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first byte, like `| head` after its lines
    result = subprocess.run([sys.executable, "-m", "deployer", "render"], cwd=ROOT, stdout=write_end,
                            stderr=subprocess.PIPE, text=True, timeout=60)
    os.close(write_end)
    assert result.returncode == 141
    assert result.stderr == ""


def test_version(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0 and capsys.readouterr().out.startswith("deployer ")


@pytest.mark.parametrize("command", sorted(HELP))
def test_every_command_has_a_paragraph_its_exit_codes_and_examples(command, capsys):
    with pytest.raises(SystemExit) as caught:
        main([*command.split(), "--help"])
    text = capsys.readouterr().out
    assert caught.value.code == 0
    assert "global flags:" in text and "exit codes:\n  " in text and "examples:\n  deployer " in text
