"""Canaries, promotion, pause, manual health, scaling in place and Consul re-sync on a running devagent."""

from __future__ import annotations

import copy
import time

import pytest
import requests

from tests.devagent.helpers import SECOND, consul_checks, consul_services, deployment_done, service_job, wait_for

pytestmark = [pytest.mark.devagent, pytest.mark.consul]


def _job(name: str, *app_args: str, canary: int = 1, auto_promote: bool = True, count: int = 1, env: str = "1",
         auto_revert: bool = True) -> dict:
    job = service_job(name, *app_args, count=count, connect=False)
    job["Update"].update(Canary=canary, AutoPromote=auto_promote, AutoRevert=auto_revert)
    service = job["TaskGroups"][0]["Services"][0]
    service.update(Tags=["live"], CanaryTags=["canary"])
    job["TaskGroups"][0]["Tasks"][0]["Env"]["APP_RELEASE"] = env
    return job


def _deploy(client, job: dict) -> dict:
    client.jobs.register_job({"Job": copy.deepcopy(job)})
    version = client.job.get_job(job["ID"])["Version"]
    return wait_for(deployment_done(client, job["ID"], version), timeout=40, what=f"deployment of {job['ID']} v{version}")


def _live(client, job_id: str) -> list[dict]:
    return [a for a in client.job.get_allocations(job_id) if a["DesiredStatus"] == "run"]


def _running_deployment(client, job_id: str, version: int):
    def check():
        deployment = client.job.get_deployment(job_id)
        return deployment if deployment and deployment["JobVersion"] == version else None
    return check


def _post(devagent, path: str, body: dict | None = None) -> requests.Response:
    return requests.post(f"{devagent.address}{path}", json=body, timeout=10)


def test_auto_promoted_canary_runs_beside_the_old_allocation_then_replaces_it(devagent, consul_agent):
    client = devagent.nomad()
    assert _deploy(client, _job("cn-auto"))["Status"] == "successful"
    [old] = _live(client, "cn-auto")
    release = _job("cn-auto", env="2")
    # The canary carries its canary_tags only until it is promoted; a longer min_healthy_time keeps
    # that window open long enough for a poll on a loaded machine to see it
    release["Update"]["MinHealthyTime"] = 3 * SECOND
    client.jobs.register_job({"Job": release})
    deployment = wait_for(_running_deployment(client, "cn-auto", 1), what="the canary deployment")
    assert deployment["StatusDescription"] == "Deployment is running pending automatic promotion"
    state = deployment["TaskGroups"]["web"]
    assert (state["DesiredCanaries"], state["DesiredTotal"], state["Promoted"]) == (1, 1, False)

    def canary_registered():
        allocs = _live(client, "cn-auto")
        canaries = [a for a in allocs if (a["DeploymentStatus"] or {}).get("Canary")]
        tags = {s["ID"]: s["Tags"] for s in consul_services(consul_agent).values() if s["Service"] == "cn-auto"}
        if not canaries:
            return None
        canary_tags = [t for sid, t in tags.items() if canaries[0]["ID"] in sid]
        return (allocs, canaries[0]) if canary_tags == [["canary"]] else None
    allocs, canary = wait_for(canary_registered, timeout=60, what="a canary registered with canary_tags")
    assert old["ID"] in {a["ID"] for a in allocs}  # the old version keeps serving beside it
    assert canary["Name"] == old["Name"]

    done = wait_for(deployment_done(client, "cn-auto", 1), timeout=40, what="the promoted deployment")
    assert (done["Status"], done["TaskGroups"]["web"]["Promoted"]) == ("successful", True)
    assert done["TaskGroups"]["web"]["PlacedCanaries"] == [canary["ID"]]
    [now] = _live(client, "cn-auto")
    assert now["ID"] == canary["ID"] and now["DeploymentStatus"]["Canary"] is False
    assert client.allocation.get_allocation(old["ID"])["DesiredStatus"] == "stop"
    wait_for(lambda: [s["Tags"] for s in consul_services(consul_agent).values() if s["Service"] == "cn-auto"] == [["live"]],
             timeout=10, what="the promoted canary registered with its normal tags")


def test_manual_promotion_pause_and_nomads_refusals(devagent):
    client = devagent.nomad()
    _deploy(client, _job("cn-manual", auto_promote=False))
    client.jobs.register_job({"Job": _job("cn-manual", env="2", auto_promote=False)})
    deployment = wait_for(_running_deployment(client, "cn-manual", 1), what="the canary deployment")
    assert deployment["StatusDescription"] == "Deployment is running but requires manual promotion"
    dep_id = deployment["ID"]
    early = _post(devagent, f"/v1/deployment/promote/{dep_id}", {"DeploymentID": dep_id, "All": True})
    if early.status_code == 500:  # before the canary is healthy Nomad refuses, with its multierror text
        assert early.text.strip().startswith('1 error occurred:\n\t* Task group "web" has 0/1 healthy allocations')
    mismatch = _post(devagent, f"/v1/deployment/pause/{dep_id}", {"DeploymentID": "other", "Pause": True})
    assert (mismatch.status_code, mismatch.text.strip()) == (400, "Deployment ID does not match")
    assert _post(devagent, f"/v1/deployment/pause/{dep_id}", {"DeploymentID": dep_id, "Pause": True}).ok
    assert client.deployment.get_deployment(dep_id)["StatusDescription"] == "Deployment is paused"
    assert _post(devagent, f"/v1/deployment/pause/{dep_id}", {"DeploymentID": dep_id, "Pause": False}).ok
    assert client.deployment.get_deployment(dep_id)["StatusDescription"] == \
        "Deployment is running but requires manual promotion"

    wait_for(lambda: client.deployment.get_deployment(dep_id)["TaskGroups"]["web"]["HealthyAllocs"] == 1,
             timeout=20, what="a healthy canary")
    time.sleep(1.0)  # no auto-promotion: it must still wait for us
    assert client.deployment.get_deployment(dep_id)["TaskGroups"]["web"]["Promoted"] is False
    response = _post(devagent, f"/v1/deployment/promote/{dep_id}", {"DeploymentID": dep_id, "Groups": ["web"]})
    assert response.ok and response.json()["EvalID"]
    done = wait_for(deployment_done(client, "cn-manual", 1), timeout=30, what="the promoted deployment")
    assert done["Status"] == "successful"
    again = _post(devagent, f"/v1/deployment/promote/{dep_id}", {"DeploymentID": dep_id, "All": True})
    assert (again.status_code, again.text.strip()) == (500, "can't promote terminal deployment")


def test_failed_canary_is_stopped_and_the_old_allocation_never_stops(devagent):
    client = devagent.nomad()
    _deploy(client, _job("cn-bad"))
    [old] = _live(client, "cn-bad")
    client.jobs.register_job({"Job": _job("cn-bad", "--exit-after", "0.5", env="2")})
    failed = wait_for(deployment_done(client, "cn-bad", 1), timeout=40, what="the canary deployment to fail")
    assert failed["Status"] == "failed"
    assert failed["StatusDescription"] == "Failed due to unhealthy allocations - rolling back to job version 0"
    [canary_id] = failed["TaskGroups"]["web"]["PlacedCanaries"]
    wait_for(lambda: client.allocation.get_allocation(canary_id)["DesiredStatus"] == "stop", what="the canary stopped")
    reverted = wait_for(deployment_done(client, "cn-bad", 2), timeout=30, what="the revert's deployment")
    assert reverted["Status"] == "successful"
    [still] = _live(client, "cn-bad")
    assert still["ID"] == old["ID"] and still["ClientStatus"] == "running"  # updated in place, never restarted
    assert client.allocation.get_allocation(old["ID"])["TaskStates"]["app"]["Restarts"] == 0


def test_marking_an_allocation_unhealthy_by_hand_fails_the_deployment(devagent):
    client = devagent.nomad()
    _deploy(client, _job("cn-health", auto_promote=False, auto_revert=False))
    client.jobs.register_job({"Job": _job("cn-health", env="2", auto_promote=False, auto_revert=False)})
    deployment = wait_for(_running_deployment(client, "cn-health", 1), what="the canary deployment")
    [canary_id] = wait_for(lambda: client.deployment.get_deployment(deployment["ID"])["TaskGroups"]["web"]["PlacedCanaries"],
                           what="the canary placed")
    body = {"DeploymentID": deployment["ID"], "UnhealthyAllocationIDs": [canary_id]}
    assert _post(devagent, f"/v1/deployment/allocation-health/{deployment['ID']}", body).ok
    failed = client.deployment.get_deployment(deployment["ID"])
    assert (failed["Status"], failed["StatusDescription"]) == ("failed", "Failed due to unhealthy allocations")
    wait_for(lambda: client.allocation.get_allocation(canary_id)["DesiredStatus"] == "stop", what="the canary stopped")
    assert len(_live(client, "cn-health")) == 1


@pytest.mark.parametrize("before, after", [(2, 1), (1, 2)])
def test_count_change_scales_in_place(devagent, before, after):
    client = devagent.nomad()
    name = f"cn-scale-{before}{after}"
    _deploy(client, _job(name, count=before))
    kept = {a["Name"]: a["ID"] for a in _live(client, name)}
    done = _deploy(client, _job(name, count=after))
    assert done["Status"] == "successful" and done["TaskGroups"]["web"]["DesiredCanaries"] == 0
    now = {a["Name"]: a["ID"] for a in _live(client, name)}
    assert len(now) == after
    assert all(now[n] == kept[n] for n in now if n in kept)  # the same allocations, not replacements
    assert f"{name}.web[0]" in now


def test_lost_registrations_come_back_within_seconds(devagent, consul_agent):
    client = devagent.nomad()
    _deploy(client, _job("cn-resync", canary=0, auto_promote=False))  # auto_promote needs canaries (Nomad)
    [sid] = [sid for sid, s in consul_services(consul_agent).items() if s["Service"] == "cn-resync"]
    requests.put(f"{consul_agent.url}/v1/agent/service/deregister/{sid}", headers=consul_agent.admin_headers,
                 timeout=5).raise_for_status()
    started = time.monotonic()
    wait_for(lambda: sid in consul_services(consul_agent), timeout=5, what="the service registered again")
    print(f"re-registered after {time.monotonic() - started:.1f}s")
    checks = consul_checks(consul_agent)
    assert any(c["ServiceID"] == sid for c in checks.values())
