"""`deployer status` decides healthy or not from what it shows; an address that is not Nomad is an error."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from deployer.cli import main
from deployer.status import job_problems
from tests.deployer.cli_helpers import Run, assert_one_error

JOB = {"ID": "tax", "Version": 3, "TaskGroups": [{"Name": "tax", "Count": 2}]}


def _alloc(status="running", healthy=True):
    return {"ClientStatus": status, "DesiredStatus": "run", "DeploymentStatus": {"Healthy": healthy}}


def _deployment(status="successful", version=3, **group):
    return {"ID": "d", "JobID": "tax", "JobVersion": version, "Status": status, "StatusDescription": "why",
            "TaskGroups": {"tax": {"DesiredCanaries": 0, "Promoted": False, "PlacedCanaries": [], "HealthyAllocs": 0,
                                   "DesiredTotal": 2, "AutoPromote": False, **group}}}


HEALTHY = dict(job=JOB, allocs=[_alloc(), _alloc()], deployment=_deployment(), registered=2,
               service="passing", sidecar="passing")


@pytest.mark.parametrize("change, expected", [
    ({}, []),
    ({"allocs": [_alloc(), _alloc("failed", None)]}, ["1 allocation(s) failed", "1/2 allocations running"]),
    ({"allocs": [_alloc(), _alloc("pending", None)]}, ["1 allocation(s) pending", "1/2 allocations running"]),
    ({"allocs": [_alloc(), _alloc(healthy=False)]}, ["1 allocation(s) unhealthy"]),
    ({"deployment": _deployment("failed")}, ["deployment failed: why"]),
    ({"deployment": _deployment("failed", version=2)}, []),  # an older version's failure was rolled back
    ({"deployment": _deployment("running", DesiredCanaries=1, PlacedCanaries=["c"])},
     ["canary 0/1 healthy beside the old version"]),
    ({"deployment": _deployment("running")}, ["deployment running"]),
    ({"registered": 0}, ["2 of 2 running allocation(s) not registered in Consul"]),
    ({"registered": 0, "service": "no checks", "sidecar": "no checks"},
     ["2 of 2 running allocation(s) not registered in Consul", "service checks: no checks", "sidecar checks: no checks"]),
    ({"service": "critical (1/2 passing)"}, ["service checks: critical (1/2 passing)"]),
    ({"job": dict(JOB, Stop=True)}, ["job is stopped"]),
])
def test_job_problems(change, expected):
    args = {**HEALTHY, **change}
    assert job_problems(args["job"], args["allocs"], args["deployment"], args["registered"], args["service"],
                        args["sidecar"]) == expected


class _NotNomad(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server API
        body = b"<html>hello</html>"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_status_against_something_that_is_not_nomad_is_one_error(capsys):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _NotNomad)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        code = main(["--nomad-addr", url, "--consul-addr", url, "status"])
    finally:
        server.shutdown()
        server.server_close()
    captured = capsys.readouterr()
    assert_one_error(Run(code, captured.out, captured.err), code=1, contains="does not answer like Nomad")


class _Forbidden:
    def __init__(self, text):
        self.status_code, self.text, self.ok = 403, text, False

    def json(self):
        raise ValueError("not JSON")


class _ClientsAnswering:
    def __init__(self, response):
        self.response = response
        self.endpoints = type("E", (), {"nomad_addr": "http://127.0.0.1:1"})()

    def nomad_get(self, path, refuse_forbidden=True):
        assert path == "/v1/agent/self" and not refuse_forbidden
        return self.response


def test_a_nomad_that_refuses_agent_read_to_the_token_is_still_nomad():
    from deployer.errors import DeployerError
    from deployer.status import require_nomad
    require_nomad(_ClientsAnswering(_Forbidden("Permission denied")))  # Nomad's ACL answer: no error
    with pytest.raises(DeployerError, match="does not answer like Nomad"):
        require_nomad(_ClientsAnswering(_Forbidden("go away")))
