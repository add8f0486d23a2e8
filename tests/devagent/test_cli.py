"""devagent's command line: startup errors are one `error:` line and one `hint:` line."""

import pytest

from devagent.cli import main
from devagent.ports import free_port


def test_no_consul_is_an_error_with_a_hint(tmp_path, capsys):
    assert main(["-http-port", str(free_port()), "-consul-addr", f"127.0.0.1:{free_port()}",
                 "-data-dir", str(tmp_path), "-sidecar", "builtin"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("error: no Consul agent answers at 127.0.0.1:")
    assert err[1].startswith("hint: ") and "-dev-consul" in err[1]


def test_unknown_sidecar_kind_is_rejected(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["-sidecar", "nginx"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'nginx'" in capsys.readouterr().err


@pytest.mark.consul
def test_a_taken_http_port_is_an_error(tmp_path, capsys, consul_agent):
    import socket
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["-http-port", str(port), "-consul-addr", consul_agent.http_addr, "-data-dir", str(tmp_path),
                     "-sidecar", "builtin"]) == 1
    err = capsys.readouterr().err
    assert f"error: cannot listen on 127.0.0.1:{port}" in err and "hint: choose another -http-port" in err
