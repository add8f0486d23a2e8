"""The job requests' bodies as Nomad's agent decodes them: Go's case-insensitive fields, null, regions, tokens."""

import pytest
import requests

from tests.devagent.helpers import service_job

pytestmark = [pytest.mark.devagent, pytest.mark.consul]


def post(devagent, path, body, **params):
    return requests.post(f"{devagent.address}{path}", json=body, params=params, timeout=30)


def test_request_fields_match_case_insensitively_as_gos_decoder_does(devagent):
    job = service_job("rq-case")
    job["id"] = job.pop("ID")
    planned = post(devagent, "/v1/job/rq-case/plan", {"job": job, "diff": True})
    assert planned.status_code == 200, planned.text
    assert planned.json()["Diff"]["Type"] == "Added"
    assert post(devagent, "/v1/validate/job", {"JOB": job}).json()["Error"] == ""
    refused = post(devagent, "/v1/jobs", {"job": job, "evalpriority": 101})
    assert (refused.status_code, refused.text) == (400, "Eval priority must be between 1 and 100 inclusively")


def test_a_null_body_is_a_request_without_a_job(devagent):
    for path in ("/v1/jobs", "/v1/job/x/plan", "/v1/validate/job"):
        answer = requests.post(f"{devagent.address}{path}", data="null", timeout=10)
        assert (answer.status_code, answer.text) == (400, "Job must be specified")


def test_request_fields_of_the_wrong_type_are_gos_400(devagent):
    answer = post(devagent, "/v1/jobs", {"Job": service_job("rq-type"), "Region": 5})
    assert answer.status_code == 400
    assert answer.text == ("json: cannot unmarshal number into Go struct field JobRegisterRequest.Region "
                           "of type string")
    answer = post(devagent, "/v1/jobs", {"Job": service_job("rq-type"), "Submission": "x"})
    assert answer.text == ("json: cannot unmarshal string into Go struct field JobRegisterRequest.Submission "
                           "of type api.JobSubmission")


def test_another_region_has_no_path_on_a_single_region_agent(devagent):
    job = service_job("rq-region")
    elsewhere = dict(job, Region="elsewhere")
    for path, body, params in (("/v1/jobs", {"Job": elsewhere}, {}), ("/v1/jobs", {"Job": job, "Region": "eu"}, {}),
                               ("/v1/jobs", {"Job": job}, {"region": "eu"}),
                               ("/v1/job/rq-region/plan", {"Job": elsewhere}, {}),
                               ("/v1/validate/job", {"Job": job}, {"region": "eu"})):
        answer = post(devagent, path, body, **params)
        assert (answer.status_code, answer.text) == (500, "No path to region"), (path, body, params)
    # the body's region wins over ?region= on register, and "global" is this agent's
    assert post(devagent, "/v1/job/rq-region/plan", {"Job": job, "Region": "global"}, region="eu").status_code == 200
    # validate forwards by the request's region only: the job's own is not looked at
    assert post(devagent, "/v1/validate/job", {"Job": elsewhere}).status_code == 200
    assert "rq-region" not in [j["ID"] for j in requests.get(f"{devagent.address}/v1/jobs", timeout=10).json()]


def test_register_clears_the_tokens_and_gives_the_eval_its_eval_priority(devagent):
    job = dict(service_job("rq-tokens"), ConsulToken="c-secret", VaultToken="v-secret", Priority=40)
    answer = post(devagent, "/v1/jobs", {"Job": job, "EvalPriority": 90})
    assert answer.status_code == 200, answer.text
    stored = requests.get(f"{devagent.address}/v1/job/rq-tokens", timeout=10).json()
    assert (stored["ConsulToken"], stored["VaultToken"], stored["Priority"]) == ("", "", 40)
    evaluation = requests.get(f"{devagent.address}/v1/evaluation/{answer.json()['EvalID']}", timeout=10).json()
    assert evaluation["Priority"] == 90


def test_plan_reads_diff_from_the_body_only(devagent):
    answer = post(devagent, "/v1/job/rq-diff/plan", {"Job": service_job("rq-diff")}, diff="true")
    assert answer.status_code == 200 and answer.json()["Diff"] is None


def test_the_jobs_type_errors_come_before_the_agents_checks_in_document_order(devagent):
    answer = post(devagent, "/v1/jobs", {"Job": {"Priority": "x"}})
    assert (answer.status_code, answer.text) == (
        400, "json: cannot unmarshal string into Go struct field Job.Job.Priority of type int")
    answer = post(devagent, "/v1/jobs", {"Job": {"ID": "o", "Priority": "x"}, "JobModifyIndex": "y"})
    assert answer.text == "json: cannot unmarshal string into Go struct field Job.Job.Priority of type int"
    answer = post(devagent, "/v1/jobs", {"Job": {"ID": "o", "SubmitTime": "x"}})
    assert answer.text == "json: cannot unmarshal string into Go struct field Job.Job.SubmitTime of type int64"


def test_scaling_policies_get_ids_and_indexes_that_survive_an_unchanged_register(devagent):
    job = service_job("rq-scale")
    job["TaskGroups"][0]["Scaling"] = {"Min": 1, "Max": 3}
    first = post(devagent, "/v1/jobs", {"Job": job}).json()
    stored = requests.get(f"{devagent.address}/v1/job/rq-scale", timeout=10).json()
    policy = stored["TaskGroups"][0]["Scaling"]
    assert len(policy["ID"]) == 36 and policy["CreateIndex"] == policy["ModifyIndex"] > 0
    again = post(devagent, "/v1/jobs", {"Job": job}).json()
    assert again["JobModifyIndex"] == first["JobModifyIndex"]  # unchanged: no new version
    job["TaskGroups"][0]["Scaling"]["Max"] = 4
    post(devagent, "/v1/jobs", {"Job": job})
    changed = requests.get(f"{devagent.address}/v1/job/rq-scale", timeout=10).json()["TaskGroups"][0]["Scaling"]
    assert changed["ID"] == policy["ID"] and changed["CreateIndex"] == policy["CreateIndex"]
    assert changed["ModifyIndex"] > policy["ModifyIndex"]


def test_periodic_and_parameterized_jobs_run_until_stopped(devagent):
    job = service_job("rq-periodic")
    job.update(Type="batch", Periodic={"Enabled": True, "SpecType": "cron", "Spec": "0 0 1 1 *"})
    job.pop("Update", None)
    answer = post(devagent, "/v1/jobs", {"Job": job})
    assert answer.status_code == 200 and answer.json()["EvalID"] == ""  # Register creates no evaluation for it
    assert requests.get(f"{devagent.address}/v1/job/rq-periodic", timeout=10).json()["Status"] == "running"
    assert requests.get(f"{devagent.address}/v1/job/rq-periodic/allocations", timeout=10).json() == []
    forced = requests.post(f"{devagent.address}/v1/job/rq-periodic/evaluate", json={}, timeout=10)
    assert (forced.status_code, forced.text) == (500, "can't evaluate periodic job")


def test_a_jobs_allocations_are_those_of_the_job_now_registered_unless_all(devagent):
    from tests.devagent.helpers import wait_for
    job = service_job("rq-again")
    post(devagent, "/v1/jobs", {"Job": job})
    first = wait_for(lambda: requests.get(f"{devagent.address}/v1/job/rq-again/allocations", timeout=10).json(),
                     what="the first allocation")
    requests.delete(f"{devagent.address}/v1/job/rq-again", params={"purge": "true"}, timeout=10)
    post(devagent, "/v1/jobs", {"Job": job})
    listed = requests.get(f"{devagent.address}/v1/job/rq-again/allocations", timeout=10).json()
    assert first[0]["ID"] not in {a["ID"] for a in listed}
    every = requests.get(f"{devagent.address}/v1/job/rq-again/allocations", params={"all": "true"}, timeout=10).json()
    assert first[0]["ID"] in {a["ID"] for a in every}
