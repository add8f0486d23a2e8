"""devagent's job API driven with python-nomad: register, versions, plan, deployments, errors."""

import sys
import threading
import time

import nomad
import pytest
import requests

from tests.devagent.helpers import APP, SECOND, alloc_app_url, deployment_done, service_job, wait_for

pytestmark = [pytest.mark.devagent, pytest.mark.consul]


def test_register_runs_the_job_and_the_deployment_succeeds(devagent):
    client = devagent.nomad()
    response = client.jobs.register_job({"Job": service_job("da-ok")})
    assert response["EvalID"] and response["JobModifyIndex"] > 0

    deployment = wait_for(deployment_done(client, "da-ok"), what="deployment of da-ok")
    assert deployment["Status"] == "successful"
    assert deployment["StatusDescription"] == "Deployment completed successfully"
    assert deployment["TaskGroups"]["web"]["HealthyAllocs"] == 1
    job = client.job.get_job("da-ok")
    assert (job["Version"], job["Stable"], job["Status"]) == (0, True, "running")
    [alloc] = client.job.get_allocations("da-ok")
    assert alloc["Name"] == "da-ok.web[0]" and alloc["ClientStatus"] == "running"
    assert alloc["DeploymentStatus"]["Healthy"] is True
    full = client.allocation.get_allocation(alloc["ID"])
    events = [e["Type"] for e in full["TaskStates"]["app"]["Events"]]
    assert events[:3] == ["Received", "Task Setup", "Started"]
    evaluation = client.evaluation.get_evaluation(response["EvalID"])
    assert (evaluation["Status"], evaluation["TriggeredBy"]) == ("complete", "job-register")
    assert evaluation["DeploymentID"] == deployment["ID"]


def test_task_env_and_logs(devagent):
    client = devagent.nomad()
    client.jobs.register_job({"Job": service_job("da-env", update=False)})
    alloc = wait_for(lambda: [a for a in client.job.get_allocations("da-env") if a["ClientStatus"] == "running"],
                     what="running alloc")[0]
    body = wait_for(lambda: _get_json(alloc_app_url(client, alloc) + "/"), what="app answering")
    env = body["env"]
    full = client.allocation.get_allocation(alloc["ID"])  # the list's entries carry no ports
    http = next(p for p in full["AllocatedResources"]["Shared"]["Ports"] if p["Label"] == "http")
    host_port = http["Value"]
    network = client.allocation.get_allocation(alloc["ID"]).get("NetworkStatus")
    if network:  # bridge mode in a namespace: Nomad's values
        assert (env["NOMAD_PORT_http"], env["NOMAD_HOST_PORT_http"]) == ("8080", str(host_port))
        assert env["NOMAD_ALLOC_ADDR_http"] == f"{network['Address']}:8080"
    else:  # host mode: the app listens on the host port, not `to`
        assert env["NOMAD_PORT_http"] == env["NOMAD_HOST_PORT_http"] == str(host_port)
    assert env["NOMAD_ADDR_http"] == f"{http['HostIP']}:{host_port}"
    assert env["NOMAD_ALLOC_ID"] == alloc["ID"] and env["NOMAD_SHORT_ALLOC_ID"] == alloc["ID"][:8]
    assert (env["NOMAD_JOB_NAME"], env["NOMAD_GROUP_NAME"], env["NOMAD_TASK_NAME"]) == ("da-env", "web", "app")
    assert (env["NOMAD_DC"], env["NOMAD_REGION"], env["NOMAD_NAMESPACE"]) == ("dc1", "global", "default")
    assert env["NOMAD_META_owner"] == "tests"
    assert env["APP_GREETING"] == "hello from da-env/0"
    assert env["NOMAD_ALLOC_DIR"].endswith(f"{alloc['ID']}/alloc")
    assert "NOMAD_PORT_connect_proxy_da_env" in env and "NOMAD_PORT_connect-proxy-da-env" in env

    logs = requests.get(f"{devagent.address}/v1/client/fs/logs/{alloc['ID']}",
                        params={"task": "app", "type": "stderr", "plain": "true", "origin": "end", "offset": 100}, timeout=5)
    assert logs.ok and "stderr line from app" in logs.text
    stdout = requests.get(f"{devagent.address}/v1/client/fs/logs/{alloc['ID']}",
                          params={"task": "app", "type": "stdout", "plain": "true"}, timeout=5)
    assert f"on port {env['NOMAD_PORT_http']}" in stdout.text


def _get_json(url):
    try:
        response = requests.get(url, timeout=2)
        return response.json() if response.ok else None
    except requests.RequestException:
        return None


def test_unchanged_register_keeps_the_version_and_enforce_index_conflicts(devagent):
    client = devagent.nomad()
    job = service_job("da-idx", update=False)
    first = client.jobs.register_job({"Job": job, "EnforceIndex": True, "JobModifyIndex": 0})
    again = client.jobs.register_job({"Job": job})
    assert again["JobModifyIndex"] == first["JobModifyIndex"] and again["EvalID"] != first["EvalID"]
    assert [v["Version"] for v in client.job.get_versions("da-idx")["Versions"]] == [0]

    def conflict(body):
        response = requests.post(f"{devagent.address}/v1/jobs", json=body, timeout=5)
        return response.status_code, response.text.strip()

    index = first["JobModifyIndex"]
    assert conflict({"Job": job, "EnforceIndex": True, "JobModifyIndex": 0}) == (
        500, "Enforcing job modify index 0: job already exists")
    assert conflict({"Job": job, "EnforceIndex": True, "JobModifyIndex": index + 7}) == (
        500, f"Enforcing job modify index {index + 7}: job exists with conflicting job modify index: {index}")
    other = service_job("da-idx-missing", update=False)
    assert conflict({"Job": other, "EnforceIndex": True, "JobModifyIndex": 5}) == (
        500, "Enforcing job modify index 5: job does not exist")

    changed = service_job("da-idx", update=False)
    changed["Meta"]["owner"] = "someone-else"
    second = client.jobs.register_job({"Job": changed, "EnforceIndex": True, "JobModifyIndex": index})
    assert second["JobModifyIndex"] > index
    assert [v["Version"] for v in client.job.get_versions("da-idx")["Versions"]] == [1, 0]
    diffs = requests.get(f"{devagent.address}/v1/job/da-idx/versions", params={"diffs": "true"}, timeout=5).json()["Diffs"]
    assert len(diffs) == 1 and diffs[0]["Type"] == "Edited"


def test_missing_driver_is_a_placement_failure(devagent):
    client = devagent.nomad()
    response = client.jobs.register_job({"Job": service_job("da-docker", driver="docker", update=False)})
    evaluation = client.evaluation.get_evaluation(response["EvalID"])
    assert evaluation["Status"] == "complete"
    failed = evaluation["FailedTGAllocs"]["web"]
    assert (failed["NodesEvaluated"], failed["NodesFiltered"]) == (1, 1)
    assert failed["ConstraintFiltered"] == {"missing drivers": 1}
    blocked = client.evaluation.get_evaluation(evaluation["BlockedEval"])
    assert (blocked["Status"], blocked["StatusDescription"]) == ("blocked", "created to place remaining allocations")
    assert client.job.get_allocations("da-docker") == []
    assert client.job.get_job("da-docker")["Status"] == "pending"

    elsewhere = service_job("da-dc9", update=False)
    elsewhere["Datacenters"] = ["dc9"]
    response = client.jobs.register_job({"Job": elsewhere})
    failed = client.evaluation.get_evaluation(response["EvalID"])["FailedTGAllocs"]["web"]
    assert (failed["NodesEvaluated"], failed["NodesAvailable"]) == (0, {"dc9": 0})
    assert client.job.get_allocations("da-dc9") == []


def test_blocking_queries(devagent):
    url = f"{devagent.address}/v1/jobs"
    first = requests.get(url, timeout=5)
    index = int(first.headers["X-Nomad-Index"])
    started = time.monotonic()
    timed_out = requests.get(url, params={"index": index, "wait": "300ms"}, timeout=5)
    assert time.monotonic() - started >= 0.25
    assert int(timed_out.headers["X-Nomad-Index"]) == index

    result = {}

    def blocked_read():
        response = requests.get(url, params={"index": index, "wait": "20s"}, timeout=30)
        result["index"], result["jobs"] = int(response.headers["X-Nomad-Index"]), response.json()

    reader = threading.Thread(target=blocked_read)
    reader.start()
    time.sleep(0.2)
    assert reader.is_alive(), "the blocking query returned before any change"
    devagent.nomad().jobs.register_job({"Job": service_job("da-block", update=False)})
    reader.join(10)
    assert not reader.is_alive()
    assert result["index"] > index and [j["ID"] for j in result["jobs"]] == ["da-block"]


def test_plan_shows_the_diff_and_annotations(devagent):
    pytest.importorskip("devagent.plan_diff")
    client = devagent.nomad()
    job = service_job("da-plan")
    new = client.job.plan_job("da-plan", {"Job": job}, diff=True)
    assert new["Diff"]["Type"] == "Added"
    assert new["Annotations"]["DesiredTGUpdates"]["web"]["Place"] == 1
    client.jobs.register_job({"Job": job})
    wait_for(deployment_done(client, "da-plan"), what="deployment")
    same = client.job.plan_job("da-plan", {"Job": job}, diff=True)
    assert same["Diff"]["Type"] == "None"
    assert same["Annotations"]["DesiredTGUpdates"]["web"]["Ignore"] == 1
    edited = service_job("da-plan")
    edited["TaskGroups"][0]["Tasks"][0]["Env"]["APP_NEW"] = "1"
    plan = client.job.plan_job("da-plan", {"Job": edited}, diff=True)
    assert plan["Diff"]["Type"] == "Edited"
    assert plan["Annotations"]["DesiredTGUpdates"]["web"]["DestructiveUpdate"] == 1
    assert plan["JobModifyIndex"] == client.job.get_job("da-plan")["JobModifyIndex"]


def test_failing_checks_fail_the_deployment_and_auto_revert(devagent):
    client = devagent.nomad()
    client.jobs.register_job({"Job": service_job("da-revert")})
    assert wait_for(deployment_done(client, "da-revert", 0), what="v0 deployment")["Status"] == "successful"

    bad = service_job("da-revert", "--unhealthy", healthy_deadline=3 * SECOND)
    client.jobs.register_job({"Job": bad})
    failed = wait_for(deployment_done(client, "da-revert", 1), what="v1 deployment")
    assert failed["Status"] == "failed"
    assert failed["StatusDescription"] == "Failed due to unhealthy allocations - rolling back to job version 0"

    reverted = wait_for(deployment_done(client, "da-revert", 2), what="rollback deployment")
    assert reverted["Status"] == "successful"
    job = client.job.get_job("da-revert")
    assert job["Version"] == 2 and job["Stable"] is True
    assert "--unhealthy" not in job["TaskGroups"][0]["Tasks"][0]["Config"]["args"]
    unhealthy = [a for a in client.deployment.get_deployment_allocations(failed["ID"])]
    assert unhealthy and unhealthy[0]["DeploymentStatus"]["Healthy"] is False
    events = client.allocation.get_allocation(unhealthy[0]["ID"])["TaskStates"]["app"]["Events"]
    assert any(e["Type"] == "Alloc Unhealthy" and e["Message"] == "Services not healthy by deadline" for e in events)
    evals = client.job.get_evaluations("da-revert")
    assert any(e["TriggeredBy"] == "deployment-watcher" for e in evals)


def test_restart_policy_then_failure(devagent):
    client = devagent.nomad()
    restart = {"Attempts": 1, "Interval": 60 * SECOND, "Delay": SECOND // 5, "Mode": "fail"}
    client.jobs.register_job({"Job": service_job("da-crash", "--exit-after", "0.3", update=False, connect=False,
                                                 restart=restart)})
    alloc = wait_for(lambda: [a for a in client.job.get_allocations("da-crash") if a["ClientStatus"] == "failed"],
                     what="failed alloc")[0]
    state = client.allocation.get_allocation(alloc["ID"])["TaskStates"]["app"]
    assert (state["State"], state["Failed"], state["Restarts"]) == ("dead", True, 1)
    messages = [(e["Type"], e["DisplayMessage"]) for e in state["Events"]]
    assert ("Terminated", "Exit Code: 3") in messages
    assert any(kind == "Restarting" and text.startswith("Task restarting in ") for kind, text in messages)
    not_restarting = messages.index(("Not Restarting", 'Exceeded allowed attempts 1 in interval 1m0s and mode is "fail"'))
    # The default update strategy makes this a deployment: the failed task also explains the unhealthy alloc.
    assert messages[not_restarting + 1:] == [("Alloc Unhealthy", "Unhealthy because of failed task")]
    assert alloc["DeploymentStatus"]["Healthy"] is False


def test_deregister_with_purge(devagent):
    client = devagent.nomad()
    # No sidecar: a `consul connect proxy` still reading its registration when the purge deregisters
    # it exits 1 and fails the allocation (as it would on Nomad); this test is about the purge
    client.jobs.register_job({"Job": service_job("da-purge", update=False, connect=False)})
    wait_for(lambda: [a for a in client.job.get_allocations("da-purge") if a["ClientStatus"] == "running"], what="running")
    response = client.job.deregister_job("da-purge", purge=True)
    assert client.evaluation.get_evaluation(response["EvalID"])["TriggeredBy"] == "job-deregister"
    with pytest.raises(nomad.api.exceptions.URLNotFoundNomadException):
        client.job.get_job("da-purge")
    assert "da-purge" not in client.job
    alloc = wait_for(lambda: [a for a in client.allocations.get_allocations() if a["JobID"] == "da-purge"
                              and a["ClientStatus"] == "complete"], timeout=60, what="alloc complete")[0]
    assert alloc["DesiredStatus"] == "stop"
    old_deployment = client.deployments.get_deployments()[0]
    assert old_deployment["JobID"] == "da-purge" and old_deployment["Status"] == "cancelled"
    assert old_deployment["StatusDescription"] == "Cancelled because job is stopped"

    client.jobs.register_job({"Job": service_job("da-purge", update=False, connect=False)})  # a new job: version 0 again
    assert client.job.get_job("da-purge")["Version"] == 0
    fresh = client.job.get_deployment("da-purge")
    assert fresh["ID"] != old_deployment["ID"] and [d["ID"] for d in client.job.get_deployments("da-purge")] == [fresh["ID"]]


def test_http_errors(devagent):
    assert requests.get(f"{devagent.address}/v1/nope", timeout=5).status_code == 404
    missing = requests.get(f"{devagent.address}/v1/job/none-such", timeout=5)
    assert (missing.status_code, missing.text.strip()) == (404, "job not found")
    bad = requests.post(f"{devagent.address}/v1/jobs", data="{not json", timeout=5)
    assert bad.status_code == 400 and "Traceback" not in bad.text and len(bad.text.strip().splitlines()) == 1
    empty = requests.post(f"{devagent.address}/v1/jobs", json={"Nope": 1}, timeout=5)
    assert (empty.status_code, empty.text.strip()) == (400, "Job must be specified")
    self_info = requests.get(f"{devagent.address}/v1/agent/self", timeout=5).json()
    differences = self_info["stats"]["devagent"]
    assert differences["network_namespaces"] is ("network_namespaces_unavailable" not in differences)


def test_rolling_update_replaces_max_parallel_at_a_time(devagent):
    client = devagent.nomad()
    client.jobs.register_job({"Job": service_job("da-roll", count=2)})
    assert wait_for(deployment_done(client, "da-roll", 0), what="v0")["Status"] == "successful"
    v0 = {a["ID"] for a in client.job.get_allocations("da-roll")}
    edited = service_job("da-roll", count=2)
    edited["TaskGroups"][0]["Tasks"][0]["Env"]["APP_VERSION"] = "2"
    client.jobs.register_job({"Job": edited})
    seen_both_versions = wait_for(lambda: _mixed_versions(client), timeout=20, interval=0.05, what="one batch at a time")
    assert seen_both_versions
    deployment = wait_for(deployment_done(client, "da-roll", 1), what="v1")
    assert deployment["Status"] == "successful" and deployment["TaskGroups"]["web"]["HealthyAllocs"] == 2
    live = [a for a in client.job.get_allocations("da-roll") if a["DesiredStatus"] == "run"]
    assert len(live) == 2 and {a["JobVersion"] for a in live} == {1} and not v0 & {a["ID"] for a in live}
    assert sorted(a["Name"] for a in live) == ["da-roll.web[0]", "da-roll.web[1]"]
    evals = client.job.get_evaluations("da-roll")
    assert any(e["TriggeredBy"] == "deployment-watcher" for e in evals)


def _mixed_versions(client):
    live = [a for a in client.job.get_allocations("da-roll") if a["DesiredStatus"] == "run"]
    versions = sorted(a["JobVersion"] for a in live)
    return versions == [0, 1]


def test_static_port_collision_is_a_placement_failure(devagent):
    from devagent.ports import free_port
    client = devagent.nomad()
    port = free_port()
    first = service_job("da-static-a", update=False, connect=False)
    first["TaskGroups"][0]["Networks"] = [{"Mode": "host", "ReservedPorts": [{"Label": "http", "Value": port}]}]
    client.jobs.register_job({"Job": first})
    alloc = wait_for(lambda: [a for a in client.job.get_allocations("da-static-a") if a["ClientStatus"] == "running"],
                     what="running")[0]
    assert alloc_app_url(client, alloc) == f"http://127.0.0.1:{port}"
    second = dict(first, ID="da-static-b", Name="da-static-b")
    response = client.jobs.register_job({"Job": second})
    failed = client.evaluation.get_evaluation(response["EvalID"])["FailedTGAllocs"]["web"]
    assert failed["DimensionExhausted"] == {f"network: reserved port collision http={port}": 1}
    assert client.job.get_allocations("da-static-b") == []


HCL_JOB = """
job "da-hcl" {
  datacenters = ["dc1"]
  group "web" {
    network {
      mode = "bridge"
      port "http" {
        static = %(port)d
        to     = %(port)d
      }
    }
    service {
      name = "da-hcl"
      port = "http"
      check {
        type     = "http"
        path     = "/health"
        interval = "1s"
        timeout  = "1s"
        expose   = true
      }
      connect {
        sidecar_service {}
        sidecar_task {
          shutdown_delay = "0s"
        }
      }
    }
    update {
      max_parallel     = 1
      min_healthy_time = "500ms"
      healthy_deadline = "20s"
    }
    task "app" {
      driver = "raw_exec"
      config {
        command = "%(python)s"
        args    = ["%(app)s", "da-hcl"]
      }
    }
  }
}
"""


def test_hcl_job_parsed_by_the_agent_runs(devagent):
    client = devagent.nomad()
    # An exposed check needs the service's port at submit time: Nomad takes a static port's value (nomad#9907).
    from devagent.ports import free_port
    job = client.jobs.parse(HCL_JOB % {"python": sys.executable, "app": APP, "port": free_port()}, canonicalize=True)
    assert job["ID"] == "da-hcl" and job["TaskGroups"][0]["Services"][0]["Checks"][0]["Expose"] is True
    client.jobs.register_job({"Job": job})
    assert wait_for(deployment_done(client, "da-hcl"), what="deployment")["Status"] == "successful"
    stored = client.job.get_job("da-hcl")
    labels = {p["Label"] for p in stored["TaskGroups"][0]["Networks"][0]["DynamicPorts"]}
    assert "connect-proxy-da-hcl" in labels and any(label.startswith("svc_da-hcl_ck_") for label in labels)
    assert [t["Name"] for t in stored["TaskGroups"][0]["Tasks"]] == ["app", "connect-proxy-da-hcl"]
    bad = requests.post(f"{devagent.address}/v1/jobs/parse", json={"JobHCL": 'job "x" { bogus = 1 }'}, timeout=5)
    assert bad.status_code == 400 and "bogus" in bad.text


def test_failed_allocation_is_rescheduled_by_policy(devagent):
    client = devagent.nomad()
    job = service_job("da-resched", "--exit-after", "0.3", update=False, connect=False)
    # 5s is the shortest reschedule delay Nomad's validation allows
    job["TaskGroups"][0]["ReschedulePolicy"] = {"Attempts": 1, "Interval": 3600 * SECOND, "Delay": 5 * SECOND,
                                                "DelayFunction": "constant", "MaxDelay": 0, "Unlimited": False}
    client.jobs.register_job({"Job": job})
    allocs = wait_for(lambda: _two_failed(client), timeout=30, what="the first alloc and its replacement failed")
    first, second = sorted(allocs, key=lambda a: a["CreateIndex"])
    assert first["DesiredStatus"] == "stop" and first["DesiredDescription"] == "alloc was rescheduled because it failed"
    replacement = client.allocation.get_allocation(second["ID"])
    assert replacement["PreviousAllocation"] == first["ID"] and replacement["Name"] == first["Name"]
    assert [e["PrevAllocID"] for e in replacement["RescheduleTracker"]["Events"]] == [first["ID"]]
    follow_up = client.evaluation.get_evaluation(client.allocation.get_allocation(first["ID"])["FollowupEvalID"])
    assert (follow_up["TriggeredBy"], follow_up["Status"]) == ("alloc-failure", "complete")
    time.sleep(6.0)  # longer than the policy's delay: no third attempt may appear
    assert len(client.job.get_allocations("da-resched")) == 2


def _two_failed(client):
    allocs = client.job.get_allocations("da-resched")
    return allocs if len(allocs) == 2 and all(a["ClientStatus"] == "failed" for a in allocs) else None


def test_failing_a_deployment_by_hand_reverts(devagent):
    client = devagent.nomad()
    job = service_job("da-manual", healthy_deadline=45 * SECOND)
    job["Update"]["MinHealthyTime"] = 30 * SECOND  # keeps v1's deployment running until we fail it
    client.jobs.register_job({"Job": service_job("da-manual")})
    assert wait_for(deployment_done(client, "da-manual", 0), what="v0")["Status"] == "successful"
    client.jobs.register_job({"Job": job})
    running = wait_for(lambda: [d for d in client.job.get_deployments("da-manual")
                                if d["JobVersion"] == 1 and d["Status"] == "running"], what="v1 running")[0]
    response = client.deployment.fail_deployment(running["ID"])
    assert response["RevertedJobVersion"] == 2
    failed = client.deployment.get_deployment(running["ID"])
    assert (failed["Status"], failed["StatusDescription"]) == (
        "failed", "Deployment marked as failed - rolling back to job version 0")
    assert client.job.get_job("da-manual")["Version"] == 2


def test_prestart_task_runs_to_completion_before_the_main_task(devagent):
    client = devagent.nomad()
    job = service_job("da-init", connect=False)
    marker = "import os, time; open(os.environ['NOMAD_ALLOC_DIR'] + '/data/ready', 'w').write(str(time.time()))"
    job["TaskGroups"][0]["Tasks"].insert(0, {
        "Name": "init", "Driver": "raw_exec", "Lifecycle": {"Hook": "prestart", "Sidecar": False},
        "Config": {"command": sys.executable, "args": ["-c", marker]}})
    client.jobs.register_job({"Job": job})
    alloc = wait_for(lambda: [a for a in client.job.get_allocations("da-init") if a["ClientStatus"] == "running"
                              and a["TaskStates"]["app"]["State"] == "running"], what="main task running")[0]
    states = client.allocation.get_allocation(alloc["ID"])["TaskStates"]
    assert (states["init"]["State"], states["init"]["Failed"], states["init"]["Restarts"]) == ("dead", False, 0)
    assert states["init"]["FinishedAt"] <= states["app"]["StartedAt"]
    # A finished prestart task does not keep the allocation from being healthy.
    assert wait_for(deployment_done(client, "da-init"), what="deployment")["Status"] == "successful"


def test_stopping_an_allocation_places_a_replacement(devagent):
    client = devagent.nomad()
    client.jobs.register_job({"Job": service_job("da-astop", update=False, connect=False)})
    first = wait_for(lambda: [a for a in client.job.get_allocations("da-astop") if a["ClientStatus"] == "running"],
                     what="running")[0]
    response = client.allocation.stop_allocation(first["ID"])
    assert client.evaluation.get_evaluation(response["EvalID"])["Status"] == "complete"
    replacement = wait_for(lambda: [a for a in client.job.get_allocations("da-astop")
                                    if a["ClientStatus"] == "running" and a["ID"] != first["ID"]], what="replacement")[0]
    assert replacement["Name"] == first["Name"]
    stopped = wait_for(lambda: client.allocation.get_allocation(first["ID"])["ClientStatus"] == "complete"
                       and client.allocation.get_allocation(first["ID"]), what="first stopped")
    assert stopped["DesiredStatus"] == "stop"


def test_a_static_port_passes_to_the_replacement_on_update(devagent):
    from devagent.ports import free_port
    client = devagent.nomad()
    port = free_port()
    job = service_job("da-static-up", update=False, connect=False)
    job["TaskGroups"][0]["Networks"] = [{"Mode": "host", "ReservedPorts": [{"Label": "http", "Value": port}]}]
    client.jobs.register_job({"Job": job})
    first = wait_for(lambda: [a for a in client.job.get_allocations("da-static-up") if a["ClientStatus"] == "running"],
                     what="running")[0]
    job["TaskGroups"][0]["Tasks"][0]["Env"]["APP_VERSION"] = "2"
    response = client.jobs.register_job({"Job": job})
    assert client.evaluation.get_evaluation(response["EvalID"])["FailedTGAllocs"] is None
    second = wait_for(lambda: [a for a in client.job.get_allocations("da-static-up")
                               if a["ClientStatus"] == "running" and a["JobVersion"] == 1], what="v1 running")[0]
    assert client.allocation.get_allocation(second["ID"])["PreviousAllocation"] == first["ID"]
    body = wait_for(lambda: _get_json(f"http://127.0.0.1:{port}/"), what="v1 answering on the static port")
    assert body["env"]["APP_VERSION"] == "2"


def test_revert_and_stable(devagent):
    client = devagent.nomad()
    job = service_job("da-rev", update=False, connect=False)
    client.jobs.register_job({"Job": job})
    job["Meta"]["owner"] = "v1"
    client.jobs.register_job({"Job": job})
    assert client.job.get_job("da-rev")["Version"] == 1
    reverted = client.job.revert_job("da-rev", 0, enforce_prior_version=1)
    assert reverted["EvalID"]
    current = client.job.get_job("da-rev")
    assert (current["Version"], current["Meta"]["owner"]) == (2, "tests")
    conflict = requests.post(f"{devagent.address}/v1/job/da-rev/revert",
                             json={"JobID": "da-rev", "JobVersion": 2}, timeout=5)
    assert (conflict.status_code, conflict.text.strip()) == (500, "can't revert to current version")
    client.job.stable_job("da-rev", 2, True)
    assert client.job.get_job("da-rev")["Stable"] is True
    assert [v["Stable"] for v in client.job.get_versions("da-rev")["Versions"]] == [True, False, False]
