"""CLI error paths through main(argv): one error line, one hint line, the right exit code."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from deployer.clients import Endpoints
from devagent.consul_dev import ConsulDevAgent
from devagent.ports import free_port
from tests.deployer.cli_helpers import assert_one_error


def dead_addr() -> str:
    return f"http://127.0.0.1:{free_port()}"


def test_unreachable_nomad(run_cli):
    result = run_cli("--nomad-addr", dead_addr(), "status")
    assert_one_error(result, 1, "cannot reach Nomad")
    assert "NOMAD_ADDR" in result.err_lines[1]


def test_unreachable_nomad_from_env(run_cli, monkeypatch):
    monkeypatch.setenv("NOMAD_ADDR", dead_addr())
    assert_one_error(run_cli("apply"), 1, "cannot reach Nomad")


def test_plan_errors_exit_255(run_cli):
    assert_one_error(run_cli("plan", "--nomad-addr", dead_addr()), 255, "cannot reach Nomad")


def test_unreachable_consul(run_cli):
    result = run_cli("intentions", "list", "--consul-addr", dead_addr())
    assert_one_error(result, 1, "cannot reach Consul")
    assert "CONSUL_HTTP_ADDR" in result.err_lines[1]


def test_bad_values_path(run_cli, tmp_path):
    assert_one_error(run_cli("--values", str(tmp_path / "missing.yaml"), "render"), 1, "missing.yaml")


def test_invalid_values_content(run_cli, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("services: {order: {port: notaport}}\n")
    assert_one_error(run_cli("render", "--values", str(bad)), 1)


def test_unknown_job_for_only(run_cli):
    result = run_cli("apply", "--only", "nosuchjob", "--nomad-addr", dead_addr())
    assert_one_error(result, 1, "unknown job 'nosuchjob'")
    assert "order" in result.err_lines[1]


def test_debug_shows_the_traceback(run_cli):
    result = run_cli("--debug", "--nomad-addr", dead_addr(), "status")
    assert result.code == 1 and "Traceback" in result.err and "error: cannot reach Nomad" in result.err


def test_invalid_address_flag(run_cli):
    assert_one_error(run_cli("status", "--nomad-addr", "ftp://x"), 1, "invalid address")


@pytest.mark.parametrize("flags,env,expected", [
    ({}, {}, ("http://127.0.0.1:4646", None, "http://127.0.0.1:8500", None)),
    ({}, {"NOMAD_ADDR": "http://n:1", "NOMAD_TOKEN": "nt", "CONSUL_HTTP_ADDR": "c:2", "CONSUL_HTTP_TOKEN": "ct"},
     ("http://n:1", "nt", "http://c:2", "ct")),
    ({"nomad_addr": "http://flag:3", "consul_token": "flagtoken"},
     {"NOMAD_ADDR": "http://n:1", "CONSUL_HTTP_TOKEN": "ct"},
     ("http://flag:3", None, "http://127.0.0.1:8500", "flagtoken")),
])
def test_flags_beat_env_beat_defaults(flags, env, expected):
    e = Endpoints.resolve(env=env, **flags)
    assert (e.nomad_addr, e.nomad_token, e.consul_addr, e.consul_token) == expected


def test_consul_client_ignores_env_when_flag_given(monkeypatch):
    from deployer.clients import Clients
    monkeypatch.setenv("CONSUL_HTTP_ADDR", "127.0.0.1:1")
    monkeypatch.setenv("CONSUL_HTTP_TOKEN", "from-env")
    clients = Clients(Endpoints.resolve(consul_addr="127.0.0.1:2", consul_token="from-flag"))
    assert clients.consul.http.base_uri == "http://127.0.0.1:2"
    assert clients.consul.token == "from-flag"


@pytest.mark.parametrize("argv,contains", [
    (["frob"], "invalid choice: 'frob'"),
    (["intentions", "deny", "order"], "required: DST"),
    (["intentions", "allow", "a", "b", "--timeout", "soon"], "invalid float value"),
])
def test_usage_mistakes_take_the_same_error_path(run_cli, argv, contains):
    assert_one_error(run_cli(*argv), 1, contains)


class _Forbidden(BaseHTTPRequestHandler):
    """Answers every request the way an ACL-enabled Nomad answers a bad token."""

    def do_GET(self):  # noqa: N802 - http.server's naming
        body = b"Permission denied"
        self.send_response(403)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, *args):
        pass


@pytest.fixture
def forbidding_nomad():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Forbidden)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_bad_nomad_token(run_cli, forbidding_nomad):
    result = run_cli("status", "--nomad-addr", forbidding_nomad, "--nomad-token", "wrong")
    assert_one_error(result, 1, "Nomad refused")
    assert "NOMAD_TOKEN" in result.err_lines[1]


class _ACLConsul(ConsulDevAgent):
    """A Consul dev agent with ACLs on and default deny."""

    def argv(self):
        return super().argv() + ["-hcl", 'acl { enabled = true, default_policy = "deny", tokens { master = "root" } }']


@pytest.mark.consul
def test_bad_consul_token(run_cli, tmp_path):
    with _ACLConsul(log_path=tmp_path / "consul.log") as agent:
        result = run_cli("intentions", "list", "--consul-addr", agent.http_addr, "--consul-token", "wrong")
        assert_one_error(result, 1, "Consul refused")
        assert "CONSUL_HTTP_TOKEN" in result.err_lines[1]
        assert run_cli("intentions", "list", "--consul-addr", agent.http_addr, "--consul-token", "root").code == 0


def test_render_writes_job_files(run_cli, tmp_path):
    result = run_cli("render", "--out", str(tmp_path / "out"), "--only", "tax")
    assert result.code == 0 and result.out.strip() == f"wrote {tmp_path / 'out' / 'tax.nomad.hcl'}"
    assert 'job "tax"' in (tmp_path / "out" / "tax.nomad.hcl").read_text()


def test_render_into_an_unwritable_place(run_cli, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert_one_error(run_cli("render", "--out", str(blocker / "sub")), 1, "cannot write into")
