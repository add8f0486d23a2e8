"""Admission over HTTP: /v1/validate/job, register and plan texts, GET->POST no-op, placement reasons, nodes."""

import copy

import pytest
import requests

from tests.devagent.helpers import deployment_done, service_job, wait_for

pytestmark = [pytest.mark.devagent, pytest.mark.consul]


def exposed_job(name):
    """A Connect job whose exposed check sits on a dynamic port label: Nomad's expose-check mutator refuses it."""
    job = service_job(name)
    job["TaskGroups"][0]["Services"][0]["Checks"][0]["Expose"] = True
    return job


def test_validate_endpoint_answers_nomads_job_validate_response(devagent):
    ok = requests.post(f"{devagent.address}/v1/validate/job", json={"Job": service_job("va-ok")}, timeout=10)
    assert ok.status_code == 200
    assert ok.json() == {"DriverConfigValidated": True, "ValidationErrors": None, "Error": "", "Warnings": ""}
    refused = requests.post(f"{devagent.address}/v1/validate/job", json={"Job": exposed_job("va-bad")}, timeout=10)
    assert refused.status_code == 500
    assert refused.text.strip() == ('error in job mutator expose-check: unable to determine local service port for '
                                    'service check web->va-bad->va-bad-health')
    assert requests.post(f"{devagent.address}/v1/validate/job", json={}, timeout=10).status_code == 400


def test_register_and_plan_refuse_what_nomad_refuses_with_its_text(devagent):
    client = devagent.nomad()
    for path in ("/v1/jobs", "/v1/job/va-bad/plan"):
        response = requests.post(f"{devagent.address}{path}", json={"Job": exposed_job("va-bad")}, timeout=10)
        assert response.status_code == 500
        assert response.text.startswith("error in job mutator expose-check: ")
    assert "va-bad" not in [j["ID"] for j in client.jobs.get_jobs()]


def test_a_job_nomad_panics_on_gets_no_answer_and_is_not_registered(devagent):
    job = service_job("va-panic")
    job["TaskGroups"][0]["Volumes"] = {"data": {"Type": "host", "Source": "data"}}
    job["TaskGroups"][0]["Tasks"][0]["VolumeMounts"] = [{"Volume": "data"}]  # no Destination: a nil dereference
    for path in ("/v1/validate/job", "/v1/jobs"):
        with pytest.raises(requests.ConnectionError):
            requests.post(f"{devagent.address}{path}", json={"Job": job}, timeout=10)
    assert "va-panic" not in [j["ID"] for j in devagent.nomad().jobs.get_jobs()]
    assert requests.get(f"{devagent.address}/v1/jobs", timeout=10).status_code == 200  # the agent carries on


def test_get_then_unchanged_post_is_a_no_op(devagent):
    client = devagent.nomad()
    client.jobs.register_job({"Job": service_job("va-same")})
    wait_for(deployment_done(client, "va-same"), what="deployment of va-same")
    stored = client.job.get_job("va-same")
    [alloc] = client.job.get_allocations("va-same")
    tasks = [t["Name"] for t in stored["TaskGroups"][0]["Tasks"]]
    assert tasks == ["app", "connect-proxy-va-same"]
    response = client.job.register_job("va-same", {"Job": copy.deepcopy(stored)})
    assert response["JobModifyIndex"] == stored["JobModifyIndex"]
    again = client.job.get_job("va-same")
    assert (again["Version"], again["JobModifyIndex"]) == (stored["Version"], stored["JobModifyIndex"])
    assert [a["ID"] for a in client.job.get_allocations("va-same") if a["DesiredStatus"] == "run"] == [alloc["ID"]]
    plan = requests.post(f"{devagent.address}/v1/job/va-same/plan", json={"Job": stored, "Diff": True}, timeout=10).json()
    assert plan["Diff"]["Type"] == "None"
    client.job.deregister_job("va-same", purge=True)


def test_what_devagent_cannot_run_is_admitted_and_fails_placement_with_nomads_reason(devagent):
    client = devagent.nomad()
    job = service_job("va-win", connect=False, update=False)
    job["Constraints"] = [{"LTarget": "${attr.kernel.name}", "RTarget": "windows", "Operand": "="}]
    response = client.jobs.register_job({"Job": job})
    evaluation = client.evaluation.get_evaluation(response["EvalID"])
    assert evaluation["FailedTGAllocs"]["web"]["ConstraintFiltered"] == {"${attr.kernel.name} = windows": 1}
    gateway = {"ID": "va-gw", "Type": "service", "TaskGroups": [{
        "Name": "ingress", "Networks": [{"Mode": "bridge"}],
        "Services": [{"Name": "my-ingress", "PortLabel": "8080", "Connect": {"Gateway": {"Ingress": {
            "Listeners": [{"Port": 8080, "Protocol": "tcp", "Services": [{"Name": "web"}]}]}}}}]}]}
    response = requests.post(f"{devagent.address}/v1/jobs", json={"Job": gateway}, timeout=10)
    assert response.status_code == 200, response.text
    evaluation = client.evaluation.get_evaluation(response.json()["EvalID"])
    assert evaluation["FailedTGAllocs"]["ingress"]["ConstraintFiltered"] == {"missing drivers": 1}
    stored = client.job.get_job("va-gw")
    assert [t["Kind"] for t in stored["TaskGroups"][0]["Tasks"]] == ["connect-ingress:my-ingress"]
    for job_id in ("va-win", "va-gw"):
        client.job.deregister_job(job_id, purge=True)


def test_deleting_a_job_that_does_not_exist_answers_as_nomad(devagent):
    response = requests.delete(f"{devagent.address}/v1/job/no-such-job", timeout=10)
    assert response.status_code == 200
    assert response.json() == {"EvalID": "", "EvalCreateIndex": 0, "JobModifyIndex": 0, "VolumeEvalID": "",
                               "VolumeEvalIndex": 0, "Index": 0}


def test_nodes_have_nomads_shape(devagent):
    [stub] = requests.get(f"{devagent.address}/v1/nodes", params={"resources": "true", "os": "true"}, timeout=10).json()
    assert stub["Attributes"] == {"os.name": stub["Attributes"]["os.name"]} and stub["Attributes"]["os.name"]
    assert stub["NodeResources"]["Memory"]["MemoryMB"] > 0 and stub["ReservedResources"] is not None
    assert (stub["NodePool"], stub["Status"], stub["SchedulingEligibility"]) == ("default", "ready", "eligible")
    plain = requests.get(f"{devagent.address}/v1/nodes", timeout=10).json()[0]
    assert not {"Attributes", "NodeResources", "ReservedResources"} & set(plain)  # omitempty, as on Nomad
    node = requests.get(f"{devagent.address}/v1/node/{stub['ID']}", timeout=10).json()
    attrs = node["Attributes"]
    for key in ("driver.raw_exec", "os.name", "kernel.name", "cpu.numcores", "memory.totalbytes", "unique.hostname",
                "nomad.version", "consul.version", "consul.grpc", "plugins.cni.version.bridge"):
        assert attrs.get(key), key
    assert attrs["nomad.version"] == "1.8.4" and int(attrs["consul.grpc"]) > 0
    assert node["HTTPAddr"] == devagent.address.removeprefix("http://")
    assert node["Drivers"]["raw_exec"]["Healthy"] is True and node["Meta"]["connect.log_level"] == "info"
    assert node["NodeResources"]["Cpu"]["CpuShares"] > 0 and node["ReservedResources"]["Memory"] == {"MemoryMB": 0}
    assert requests.get(f"{devagent.address}/v1/node/ffffffff-0000", timeout=10).status_code == 404


@pytest.mark.parametrize("path, body, text", [
    ("/v1/jobs", {"Job": {"Type": "service"}}, "Job ID hasn't been provided"),
    ("/v1/job/other", {"Job": {"ID": "va-x"}}, "Job ID does not match name"),
    ("/v1/jobs", {"Job": {"ID": "va-sys", "Type": "system", "TaskGroups": [{"Name": "g", "Scaling": {"Max": 2}}]}},
     "Task groups with job type system do not support scaling blocks"),
    ("/v1/job/va-x/plan", {"Job": {"Type": "service"}}, "Job must have a valid ID"),
    ("/v1/job/other/plan", {"Job": {"ID": "va-x"}}, "Job ID does not match"),
    ("/v1/validate/job", {"Job": None}, "Job must be specified"),
])
def test_agent_checks_before_admission_are_400s_with_nomads_text(devagent, path, body, text):
    response = requests.post(f"{devagent.address}{path}", json=body, timeout=10)
    assert (response.status_code, response.text.strip()) == (400, text)


def test_preserve_counts_keeps_the_running_counts(devagent):
    client = devagent.nomad()
    job = service_job("va-count", connect=False, update=False, count=2)
    client.jobs.register_job({"Job": job})
    smaller = copy.deepcopy(job)
    smaller["TaskGroups"][0]["Count"] = 1
    smaller["Meta"]["note"] = "changed"
    response = requests.post(f"{devagent.address}/v1/jobs", json={"Job": smaller, "PreserveCounts": True}, timeout=10)
    assert response.status_code == 200, response.text
    stored = client.job.get_job("va-count")
    assert stored["TaskGroups"][0]["Count"] == 2 and stored["Meta"]["note"] == "changed"
    bad = requests.post(f"{devagent.address}/v1/jobs", json={"Job": smaller, "EvalPriority": 101}, timeout=10)
    assert (bad.status_code, bad.text.strip()) == (400, "Eval priority must be between 1 and 100 inclusively")
    client.job.deregister_job("va-count", purge=True)


def test_a_request_namespace_overrides_the_jobs_as_on_nomad(devagent):
    job = service_job("va-ns", connect=False, update=False)
    response = requests.post(f"{devagent.address}/v1/jobs", params={"namespace": "team"}, json={"Job": job}, timeout=10)
    assert response.status_code == 500
    assert response.text.strip() == '1 error occurred:\n\t* job "va-ns" is in nonexistent namespace "team"'
