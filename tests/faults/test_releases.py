"""Releases and scaling under load: not one failed request (issue 16's table, measured again).

A load client sends `GET /` to order every 20 ms through the whole chain (order -> invoice -> tax)
while the deployer changes tax. Each test prints its counts.
"""

from __future__ import annotations

import pytest

from bench.request_load import LoadClient

pytestmark = [pytest.mark.faults, pytest.mark.e2e, pytest.mark.devagent, pytest.mark.consul]


def _set(*path_and_value):
    *path, key, value = path_and_value

    def change(data):
        node = data
        for part in path:
            node = node.setdefault(part, {})
        node[key] = value
    return change


def _apply_under_load(mesh, label: str):
    """`deployer apply` of the edited values while the load client runs; prints and returns its counts."""
    with LoadClient(mesh.order_port) as load:
        load.wait_requests(25)
        applied = mesh.deployer("apply")
        mesh.wait_settled("tax")
        report = load.report()
    print(report.line(label))
    return applied, report


def test_rolling_update_at_count_1_goes_through_a_canary(mesh_factory):
    mesh = mesh_factory()
    old = mesh.live_allocs("tax")
    mesh.edit_values(_set("services", "tax", "env", {"RELEASE": "2"}))
    applied, report = _apply_under_load(mesh, f"[{mesh_factory.sidecar}] rolling update of tax, count 1 (canary)")
    assert applied.code == 0, applied.err + applied.out
    deployment = mesh.nomad("/v1/job/tax/deployment")
    assert deployment["TaskGroups"]["tax"]["DesiredCanaries"] == 1 and deployment["Status"] == "successful"
    assert set(mesh.live_allocs("tax").values()).isdisjoint(old.values())  # a new allocation serves now
    assert report.failed == 0, report


def test_rolling_update_at_count_2(mesh_factory):
    mesh = mesh_factory(_set("services", "tax", "count", 2))
    mesh.edit_values(_set("services", "tax", "env", {"RELEASE": "2"}))
    applied, report = _apply_under_load(mesh, f"[{mesh_factory.sidecar}] rolling update of tax, count 2")
    assert applied.code == 0, applied.err + applied.out
    assert len(mesh.live_allocs("tax")) == 2
    assert report.failed == 0, report


@pytest.mark.parametrize("before, after", [(2, 1), (1, 2)])
def test_scaling_keeps_the_running_allocations(mesh_factory, before, after):
    mesh = mesh_factory(_set("services", "tax", "count", before))
    old = mesh.live_allocs("tax")
    mesh.edit_values(_set("services", "tax", "count", after))
    applied, report = _apply_under_load(mesh, f"[{mesh_factory.sidecar}] scale tax {before} -> {after}")
    assert applied.code == 0, applied.err + applied.out
    now = mesh.live_allocs("tax")
    assert len(now) == after
    assert now["tax.tax[0]"] == old["tax.tax[0]"]  # the untouched allocation was never replaced
    assert report.failed == 0, report


def test_a_bad_release_never_reaches_the_old_version(mesh_factory):
    mesh = mesh_factory()
    [old] = mesh.live_allocs("tax").values()
    # The app refuses to start with this setting: the canary crashes, the old version keeps serving.
    mesh.edit_values(_set("services", "tax", "env", {"UPSTREAM_CONNECT_TIMEOUT": "soon"}))
    applied, report = _apply_under_load(mesh, f"[{mesh_factory.sidecar}] bad release of tax, count 1")
    assert applied.code == 2, applied.out + applied.err
    assert "canary of job tax failed, the old version kept serving" in applied.err
    assert "rolling back to job version" in applied.err
    assert list(mesh.live_allocs("tax").values()) == [old]
    assert report.failed == 0, report
