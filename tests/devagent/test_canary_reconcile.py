"""Pure units: in-place vs destructive updates, scaling in place, and canaries in the reconciler."""

from __future__ import annotations

import copy

import pytest

from devagent.reconcile import reconcile_group
from devagent.tasks_updated import tasks_updated

S = 1_000_000_000
UPDATE = {"MaxParallel": 1, "Canary": 0, "AutoPromote": False, "AutoRevert": False, "ProgressDeadline": 60 * S}


def _job(version, env="a", count=1, canary=0, **group):
    return {"ID": "j", "Version": version, "JobModifyIndex": 10 + version, "CreateIndex": 5, "Meta": {"owner": "t"},
            "Update": dict(UPDATE, Canary=canary),
            "TaskGroups": [{"Name": "g", "Count": count, **group,
                            "Services": [{"Name": "web", "PortLabel": "http", "Tags": ["v1"]}],
                            "Tasks": [{"Name": "t", "Driver": "raw_exec", "Env": {"X": env}}]}]}


def _alloc(index, job, deployment="", healthy=None, canary=False, alloc_id=None):
    return {"ID": alloc_id or f"a{index}-v{job['Version']}", "Name": f"j.g[{index}]", "JobVersion": job["Version"],
            "Job": job, "DeploymentID": deployment, "ClientStatus": "running", "DesiredStatus": "run",
            "DeploymentStatus": {"Healthy": healthy, "Canary": canary} if (healthy is not None or canary) else None}


def _deployment(desired_canaries=1, placed=(), promoted=False, status="running", total=1):
    return {"ID": "d1", "Status": status, "TaskGroups": {"g": {
        "DesiredCanaries": desired_canaries, "PlacedCanaries": list(placed), "Promoted": promoted,
        "DesiredTotal": total, "AutoPromote": False, "AutoRevert": False, "ProgressDeadline": 0}}}


def _plan(job, live, deployment=None, stale=frozenset()):
    return reconcile_group(job, job["TaskGroups"][0], live, deployment, None, stale)


@pytest.mark.parametrize("change, destructive", [
    ({"Count": 3}, False),
    ({"Services": [{"Name": "web", "PortLabel": "http", "Tags": ["v2"]}]}, False),
    ({"RestartPolicy": {"Attempts": 5}}, False),
    ({"Tasks": [{"Name": "t", "Driver": "raw_exec", "Env": {"X": "b"}}]}, True),
    ({"Tasks": [{"Name": "t", "Driver": "exec", "Env": {"X": "a"}}]}, True),
    ({"Meta": {"release": "2"}}, True),
    ({"Networks": [{"Mode": "bridge"}]}, True),
])
def test_tasks_updated_as_nomad(change, destructive):
    old = _job(0)
    new = copy.deepcopy(old)
    new["TaskGroups"][0].update(copy.deepcopy(change))
    assert bool(tasks_updated(old, new, "g")) is destructive


def test_job_meta_is_destructive_but_other_job_fields_are_not():
    old = _job(0)
    assert tasks_updated(old, dict(old, Meta={"owner": "t", "spec": "x"}), "g") == "task meta"
    assert tasks_updated(old, dict(old, Priority=70, Update=dict(UPDATE, MaxParallel=3)), "g") is None


def test_scale_up_and_down_keep_the_running_allocations():
    v0 = _job(0, count=2)
    live = [_alloc(0, v0), _alloc(1, v0)]
    down = _plan(_job(1, count=1), live)
    assert [a["ID"] for a in down.stop] == ["a1-v0"]
    assert [a["ID"] for a in down.inplace] == ["a0-v0"]
    assert (down.place, down.destructive, down.canaries) == ([], [], [])
    assert down.new_state["DesiredTotal"] == 1
    up = _plan(_job(1, count=3), live)
    assert [a["ID"] for a in up.inplace] == ["a0-v0", "a1-v0"]
    assert (up.place, up.stop) == ([(2, None)], [])
    assert up.new_state["DesiredTotal"] == 3


def test_unchanged_job_makes_no_deployment():
    v0 = _job(0, count=2)
    plan = _plan(v0, [_alloc(0, v0), _alloc(1, v0)])
    assert (len(plan.ignore), plan.place, plan.new_state) == (2, [], None)


def test_destructive_change_with_a_canary_places_it_beside_the_old_allocation():
    v0, v1 = _job(0), _job(1, env="b", canary=1)
    plan = _plan(v1, [_alloc(0, v0)])
    assert plan.canaries == [0]
    assert (plan.place, plan.destructive, plan.stop) == ([], [], [])
    assert plan.new_state["DesiredCanaries"] == 1 and plan.new_state["DesiredTotal"] == 1
    assert plan.annotation()["Canary"] == 1


def test_while_canarying_nothing_else_happens():
    v0, v1 = _job(0, count=2), _job(1, env="b", canary=1, count=2)
    canary = _alloc(0, v1, "d1", healthy=True, canary=True, alloc_id="c0")
    plan = _plan(v1, [_alloc(0, v0), _alloc(1, v0), canary], _deployment(placed=["c0"], total=2))
    assert (plan.canaries, plan.place, plan.destructive, plan.stop) == ([], [], [], [])


def test_promotion_stops_the_canarys_namesake_then_rolls_the_rest():
    v0, v1 = _job(0, count=2), _job(1, env="b", canary=1, count=2)
    canary = _alloc(0, v1, "d1", healthy=True, alloc_id="c0")
    plan = _plan(v1, [_alloc(0, v0), _alloc(1, v0), canary], _deployment(placed=["c0"], promoted=True, total=2))
    assert [a["ID"] for a in plan.stop] == ["a0-v0"]
    assert [a["ID"] for a in plan.destructive] == ["a1-v0"]
    assert plan.place == [(1, plan.destructive[0])]
    assert [a["ID"] for a in plan.ignore] == ["c0"]


def test_count_one_promotion_only_stops_the_old_allocation():
    v0, v1 = _job(0), _job(1, env="b", canary=1)
    canary = _alloc(0, v1, "d1", healthy=True, alloc_id="c0")
    plan = _plan(v1, [_alloc(0, v0), canary], _deployment(placed=["c0"], promoted=True))
    assert [a["ID"] for a in plan.stop] == ["a0-v0"]
    assert (plan.place, plan.destructive) == ([], [])


def test_failed_deployment_stops_its_canary_and_keeps_the_old_allocation():
    v0, v1 = _job(0), _job(1, env="b", canary=1)
    canary = _alloc(0, v1, "d1", healthy=False, canary=True, alloc_id="c0")
    plan = _plan(v1, [_alloc(0, v0), canary], _deployment(placed=["c0"], status="failed"))
    assert [a["ID"] for a in plan.stop] == ["c0"]
    assert (plan.place, plan.destructive, plan.canaries) == ([], [], [])
    assert [a["ID"] for a in plan.ignore] == ["a0-v0"]


def test_stale_canaries_of_an_older_deployment_are_stopped_and_the_old_version_updated_in_place():
    v0, v1 = _job(0), _job(1, env="b", canary=1)
    reverted = dict(copy.deepcopy(v0), Version=2, JobModifyIndex=12)
    canary = _alloc(0, v1, "d1", healthy=False, canary=True, alloc_id="c0")
    plan = _plan(reverted, [_alloc(0, v0), canary], None, frozenset({"c0"}))
    assert [a["ID"] for a in plan.stop] == ["c0"]
    assert [a["ID"] for a in plan.inplace] == ["a0-v0"]
    assert plan.place == []


def test_paused_deployment_places_nothing():
    v0, v1 = _job(0, count=2), _job(1, env="b", count=2)
    deployment = _deployment(desired_canaries=0, status="paused", total=2)
    plan = _plan(v1, [_alloc(0, v0), _alloc(1, v0)], deployment)
    assert (plan.place, plan.destructive) == ([], [])


def test_plan_stand_in_deployment_rolls_max_parallel_like_a_new_one():
    v0, v1 = _job(0, count=2), _job(1, env="b", count=2)
    live = [_alloc(0, v0), _alloc(1, v0)]
    stand_in = _plan(v1, live, {"ID": "", "Status": "running"})
    assert stand_in.annotation() == _plan(v1, live, None).annotation()
    assert stand_in.annotation()["DestructiveUpdate"] == 1
