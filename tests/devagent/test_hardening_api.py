"""devagent's HTTP API answers malformed requests as Nomad's agent does: Go's decode errors as 400s, never a
Python exception as a 500; every job ID Nomad accepts can be read and deleted through URL-escaped paths.

The agent here is never started (no Consul, no processes): placements are recorded, not run.
"""

import http.client
import json
import threading
from urllib.parse import quote

import pytest

from devagent.http_api import NomadApi
from devagent.http_server import ApiRequest, make_server
from tests.devagent.test_hardening_resources import _agent, batch_job
from devagent.gopanic import GoPanic

NOMAD_500S = ("Enforcing job modify index", "validation failed", "error in job mutator", "not found",
              "can't", "must specify at least one", "job priority", "version")


@pytest.fixture()
def agent(tmp_path):
    return _agent(tmp_path, cpu=100_000, memory=100_000)


@pytest.fixture()
def router(agent):
    router = NomadApi(agent).router()
    status, _, _ = router.dispatch(ApiRequest("POST", "/v1/jobs", {}, json.dumps({"Job": batch_job("j")}).encode()))
    assert status == 200
    return router


@pytest.fixture()
def server(agent):
    server = make_server("127.0.0.1", 0, NomadApi(agent).router())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def call(port: int, method: str, path: str, body=None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        data = json.dumps(body).encode() if body is not None else None
        connection.request(method, path, body=data)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _job(**fields) -> dict:
    return dict(batch_job("j"), **fields)


MALFORMED_BODIES = [
    b"", b"{", b"null", b"[]", b"1", b'"s"', b"\xff\xfe", b"[" * 5000 + b"]" * 5000, b'{"a":' * 200 + b"1" + b"}" * 200,
    b'{"Job": "x"}', b'{"Job": []}', b'{"Job": {"ID": 5}}', b'{"Job": {"ID": ["a"]}}',
    json.dumps({"Job": _job(TaskGroups="x")}).encode(),
    json.dumps({"Job": _job(TaskGroups=[None])}).encode(),  # NIL_ENTRY
    json.dumps({"Job": _job(TaskGroups=[{"Name": "web", "Count": "many"}])}).encode(),
    json.dumps({"Job": _job(Priority=10 ** 30)}).encode(),
    json.dumps({"Job": _job(), "JobModifyIndex": "abc"}).encode(),
    json.dumps({"Job": _job(), "JobModifyIndex": -1}).encode(),
    json.dumps({"Job": _job(), "JobModifyIndex": 1.5}).encode(),
    json.dumps({"Job": _job(), "EnforceIndex": "yes"}).encode(),
    json.dumps({"Job": _job(), "EvalPriority": "high"}).encode(),
    json.dumps({"Job": _job(), "Diff": "true"}).encode(),
    json.dumps({"JobHCL": 5}).encode(), json.dumps({"JobHCL": "job \"x\" {"}).encode(),
    json.dumps({"JobVersion": "1"}).encode(), json.dumps({"JobVersion": -1}).encode(),
    json.dumps({"JobVersion": 0, "EnforcePriorVersion": "x"}).encode(),
    json.dumps({"DeploymentID": 5}).encode(), json.dumps({"DeploymentID": "d", "Groups": "x"}).encode(),
    json.dumps({"DeploymentID": "d", "HealthyAllocationIDs": [1]}).encode(),
]
BAD_QUERIES = [{"index": "x"}, {"index": "1", "wait": "forever"}, {"prefix": "\x00"}, {"resources": "maybe"},
               {"task": "app", "type": "stdout", "offset": "x"}]


NIL_ENTRY = json.dumps({"Job": _job(TaskGroups=[None])}).encode()


def test_no_route_answers_a_python_exception_to_a_malformed_request(router):
    answers, dropped = [], set()

    def dispatch(method, path, query, body):
        try:
            return router.dispatch(ApiRequest(method, path, query, body))
        except GoPanic:  # Nomad's agent panics on it too: the server drops the connection unanswered
            dropped.add(body)
            return 0, {}, b""

    for method, regex, _ in router.routes:
        path = regex.pattern.strip("^$").replace("(?P<id>[^/]+)", "j")
        if method == "GET":
            answers += [(method, path, q, *dispatch(method, path, q, b"")) for q in BAD_QUERIES]
        else:
            answers += [(method, path, b, *dispatch(method, path, {}, b)) for b in MALFORMED_BODIES]
    assert len(answers) > 500
    assert dropped == {NIL_ENTRY}  # a nil task group, which api.Job.Canonicalize dereferences
    for method, path, given, status, _, body in answers:
        text = body.decode(errors="replace")
        where = f"{method} {path} {given!r:.80}: {status} {text!r}"
        assert status < 500 or any(known in text for known in NOMAD_500S), where
        assert "Traceback" not in text and "Error: " not in text.split("\n")[0][:40], where
        if status >= 400:
            assert "\n" not in text.rstrip("\n") or "error occurred" in text, where  # one line, or Nomad's multierror


@pytest.mark.parametrize("extra, message", [
    ({"JobModifyIndex": "abc"}, "json: cannot unmarshal string into Go struct field JobRegisterRequest.JobModifyIndex"
                                " of type uint64"),
    ({"JobModifyIndex": -1}, "json: cannot unmarshal number -1 into Go struct field JobRegisterRequest.JobModifyIndex"
                             " of type uint64"),
    ({"enforceindex": "yes"}, "json: cannot unmarshal string into Go struct field JobRegisterRequest.EnforceIndex"
                              " of type bool"),  # Go matches field names case-insensitively
    ({"EvalPriority": 2.5}, "json: cannot unmarshal number 2.5 into Go struct field JobRegisterRequest.EvalPriority"
                            " of type int"),
])
def test_register_request_type_errors_are_gos_400(router, agent, extra, message):
    before = agent.store.index
    status, _, body = router.dispatch(ApiRequest("POST", "/v1/jobs", {}, json.dumps({"Job": _job(), **extra}).encode()))
    assert (status, body.decode().rstrip("\n")) == (400, message)
    assert agent.store.index == before  # nothing registered, no evaluation


def test_a_priority_no_go_int_can_hold_is_a_decode_error_not_a_validation_error(router):
    status, _, body = router.dispatch(ApiRequest("POST", "/v1/jobs", {}, json.dumps({"Job": _job(Priority=10 ** 30)}).encode()))
    assert status == 400
    assert body.decode().rstrip("\n") == ("json: cannot unmarshal number 1000000000000000000000000000000 into Go "
                                         "struct field Job.Job.Priority of type int")


@pytest.mark.parametrize("job_id", ["../../etc", "a\nb", "a/b", "%2F", "?x=1#y", "ü ünïcode".replace(" ", "-")])
def test_every_accepted_job_id_can_be_read_listed_and_deleted(server, agent, job_id):
    status, body = call(server, "PUT", "/v1/jobs", {"Job": batch_job(job_id)})
    assert status == 200, body
    path = "/v1/job/" + quote(job_id, safe="")
    status, body = call(server, "GET", path)
    assert status == 200 and json.loads(body)["ID"] == job_id
    status, body = call(server, "GET", path + "/allocations")
    assert status == 200 and [a["JobID"] for a in json.loads(body)] == [job_id]
    status, body = call(server, "GET", "/v1/jobs?prefix=" + quote(job_id, safe=""))
    assert [j["ID"] for j in json.loads(body)] == [job_id]
    status, body = call(server, "DELETE", path + "?purge=true")
    assert status == 200 and json.loads(body)["EvalID"]
    assert call(server, "GET", path)[0] == 404
    assert job_id not in agent.store.jobs
    assert all(a["DesiredStatus"] == "stop" for a in agent.store.allocs.values() if a["JobID"] == job_id)


@pytest.mark.parametrize("job_id, message", [
    ("a\0b\nc", "Job ID contains a null character"),
    ("a b", "Job ID contains a space"),
])
def test_job_ids_nomad_refuses_are_refused_and_nothing_is_stored(server, agent, job_id, message):
    status, body = call(server, "PUT", "/v1/jobs", {"Job": batch_job(job_id)})
    assert status == 500 and message in body.decode()  # Job.Validate's error: a 500 on Nomad's register
    assert agent.store.jobs == {} and agent.store.allocs == {} and agent.store.evals == {}


def _group(**fields) -> dict:
    job = batch_job("limits")
    job["TaskGroups"][0].update(fields)
    return job


def _task(**fields) -> dict:
    job = batch_job("limits")
    job["TaskGroups"][0]["Tasks"][0].update(fields)
    return job


M = 60 * 1_000_000_000


@pytest.mark.parametrize("body, status, message", [
    ({"Job": dict(batch_job("limits"), Priority=-1)}, 500, "job priority must be between [1, 100]"),  # 0 means the default
    ({"Job": dict(batch_job("limits"), Priority=101)}, 500, "job priority must be between [1, 100]"),
    ({"Job": batch_job("limits"), "EvalPriority": 101}, 400, "Eval priority must be between 1 and 100 inclusively"),
    ({"Job": _group(Count=-1)}, 500, "Task group count can't be negative"),
    ({"Job": _group(ShutdownDelay=-1)}, 500, "ShutdownDelay must be a positive value"),
    ({"Job": _task(KillTimeout=-1)}, 500, "KillTimeout must be a positive value"),
    ({"Job": _task(KillTimeout=20 * M)}, 500, "KillTimout (20m0s) longer than the group's ProgressDeadline (10m0s)"),
    ({"Job": dict(batch_job("limits"), Update={"HealthyDeadline": 5 * M, "ProgressDeadline": 2 * M})}, 500,
     "Healthy deadline must be less than progress deadline: 5m0s > 2m0s"),
    ({"Job": dict(batch_job("limits"), Update={"MinHealthyTime": 6 * M, "HealthyDeadline": 5 * M})}, 500,
     "Minimum healthy time must be less than healthy deadline: 6m0s > 5m0s"),
])
def test_limits_nomad_applies_to_a_job_are_its_errors_and_nothing_is_stored(agent, body, status, message):
    router = NomadApi(agent).router()
    answer, _, text = router.dispatch(ApiRequest("POST", "/v1/jobs", {}, json.dumps(body).encode()))
    assert answer == status and message in text.decode(), text
    assert agent.store.jobs == {} and agent.store.allocs == {} and agent.store.evals == {}
