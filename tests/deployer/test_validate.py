"""`deployer validate` and the validate stage of plan/apply, against a fake Nomad with Nomad's answer shapes."""

import json

import pytest

from deployer.validation import JobVerdict, verdict_from_response, verdict_lines, warning_items
from tests.deployer.cli_helpers import assert_one_error
from tests.deployer.fake_nomad import FakeNomad

# Texts as Nomad v1.8 writes them: a mutator error is the RPC's error (HTTP 500, text body); validator
# errors come back in a JobValidateResponse, one ValidationErrors entry per top-level error.
MUTATOR_ERROR = ("error in job mutator expose-check: unable to determine local service port for service "
                 'check invoice->invoice->service: "invoice" check')
GROUP_ERROR = ('Task group tax validation failed: 1 error occurred:\n\t* Task tax validation failed: '
               '1 error occurred:\n\t* minimum MemoryMB value is 10; got 5\n\n')
TWO_WARNINGS = "2 warnings:\n\n* Group \"tax\" has warnings: a\n* second warning"


@pytest.fixture
def nomad():
    fake = FakeNomad().start()
    yield fake
    fake.stop()


@pytest.fixture
def cli(run_cli, nomad):
    def run(*args):
        return run_cli("--nomad-addr", nomad.address, "--no-color", *args)
    return run


def test_all_valid_exits_0_and_sends_each_parsed_job(cli, nomad):
    result = cli("validate")
    assert result.code == 0, result
    assert result.out.splitlines() == ["order: valid", "invoice: valid", "tax: valid", "validate: 3/3 jobs valid"]
    sent = [body["Job"]["ID"] for method, path, body in nomad.requests if path == "/v1/validate/job"]
    assert sent == ["order", "invoice", "tax"]
    assert all(set(body) == {"Job"} for _, path, body in nomad.requests if path == "/v1/validate/job")


def test_errors_are_reported_per_job_with_nomads_text_and_exit_1(cli, nomad):
    nomad.verdicts["invoice"] = (500, MUTATOR_ERROR)
    nomad.verdicts["tax"] = (200, {"DriverConfigValidated": True, "ValidationErrors": [GROUP_ERROR],
                                   "Error": "1 error occurred:\n\t* " + GROUP_ERROR, "Warnings": ""})
    result = cli("validate")
    assert result.code == 1
    assert result.out.splitlines() == [
        "order: valid",
        "invoice: invalid",
        f"  error: {MUTATOR_ERROR}",
        "tax: invalid",
        "  error: Task group tax validation failed: 1 error occurred:",
        "    * Task tax validation failed: 1 error occurred:",
        "    * minimum MemoryMB value is 10; got 5",
        "validate: 1/3 jobs valid",
    ]


def test_warnings_alone_are_printed_and_exit_0(cli, nomad):
    nomad.verdicts["tax"] = (200, {"DriverConfigValidated": True, "ValidationErrors": None, "Error": "",
                                   "Warnings": TWO_WARNINGS})
    result = cli("validate", "--only", "tax")
    assert result.code == 0
    assert result.out.splitlines() == ["tax: valid", '  warning: Group "tax" has warnings: a',
                                       "  warning: second warning", "validate: 1/1 jobs valid"]


def test_json_gives_the_verdict_per_job(cli, nomad):
    nomad.verdicts["invoice"] = (500, MUTATOR_ERROR)
    result = cli("--json", "validate")
    assert result.code == 1
    report = json.loads(result.out)
    assert report["invoice"] == {"valid": False, "errors": [MUTATOR_ERROR], "warnings": []}
    assert report["order"] == report["tax"] == {"valid": True, "errors": [], "warnings": []}


def test_plan_stops_at_nomads_errors_before_planning_anything(cli, nomad):
    nomad.verdicts["invoice"] = (500, MUTATOR_ERROR)
    result = cli("plan")
    assert result.code == 255
    lines = result.err_lines
    assert lines[0] == "error: Nomad rejected 1 job(s): invoice"
    assert lines[1:3] == ["  invoice: invalid", f"    error: {MUTATOR_ERROR}"]
    assert lines[-1].startswith("hint: ") and "deployer validate" in lines[-1]
    assert not [p for p in nomad.paths("POST") if p.endswith("/plan")]
    assert "Traceback" not in result.err


def test_apply_stops_at_nomads_errors_with_exit_1(cli, nomad):
    nomad.verdicts["tax"] = (200, {"ValidationErrors": [GROUP_ERROR], "Error": GROUP_ERROR, "Warnings": ""})
    result = cli("apply")
    assert result.code == 1
    assert result.err_lines[0] == "error: Nomad rejected 1 job(s): tax"
    assert nomad.paths("POST").count("/v1/jobs") == 0


def test_plan_prints_warnings_and_goes_on(cli, nomad):
    nomad.verdicts["tax"] = (200, {"ValidationErrors": None, "Error": "", "Warnings": TWO_WARNINGS})
    result = cli("plan")
    assert result.code == 1  # changes: every job is new to the fake
    assert result.out.splitlines() == ["tax: create", "invoice: create", "order: create"]
    assert result.err_lines == ['warning: job tax: Group "tax" has warnings: a', "warning: job tax: second warning"]


def test_something_that_is_not_nomad_is_one_error(run_cli, nomad):
    nomad.answer = lambda method, path, body: (200, {"ID": "order"}) if path == "/v1/jobs/parse" else (404, "no")
    result = run_cli("--nomad-addr", nomad.address, "validate", "--only", "order")
    assert_one_error(result, 1, "does not answer POST /v1/validate/job (HTTP 404)")


@pytest.mark.parametrize("text, items", [
    ("", []),
    (None, []),
    ("1 warning:\n\n* only one", ["only one"]),
    (TWO_WARNINGS, ['Group "tax" has warnings: a', "second warning"]),
    ("a warning in no known shape", ["a warning in no known shape"]),
])
def test_warning_items(text, items):
    assert warning_items(text) == items


def test_error_without_validation_errors_is_still_an_error():
    verdict = verdict_from_response("tax", 200, {"ValidationErrors": [], "Error": "job is broken", "Warnings": ""})
    assert verdict == JobVerdict("tax", ["job is broken"], [])
    assert not verdict.valid
    assert verdict_from_response("tax", 400, "Job must be specified\n").errors == ["Job must be specified"]
    assert verdict_lines(JobVerdict("tax")) == ["tax: valid"]
