"""Releases and scaling under load: not one failed request (issue 16's table, measured again).

A load client sends `GET /` to order 50 times a second (four workers) through the whole chain
(order -> invoice -> tax) while the deployer changes tax. Each test counts the requests from just
before `deployer apply` until the replaced allocations have ended, prints the counts and asserts
that none failed out of at least a minimum (so the event really happened under load).
"""

from __future__ import annotations

import time

import pytest

from tests.faults.conftest import load_client

pytestmark = [pytest.mark.faults, pytest.mark.e2e, pytest.mark.devagent, pytest.mark.consul]

# Requests each event must at least see at 50/s (about half of what a run on the shared machine counts):
# a release replaces, drains and stops an allocation (about 10 s), a scale-down drains one (about 8 s),
# a scale-up only waits for the new one to be healthy (about 4 s), a bad release for its canary to fail.
MIN_REQUESTS = {"rolling update": 250, "scale down": 200, "scale up": 80, "bad release": 150}


def _set(*path_and_value):
    *path, key, value = path_and_value

    def change(data):
        node = data
        for part in path:
            node = node.setdefault(part, {})
        node[key] = value
    return change


def _apply_under_load(mesh, label: str, minimum: int):
    """`deployer apply` of the edited values under load; prints and returns the counts of the event.

    The event runs from just before the apply until the replaced allocations have ended; at least
    `minimum` requests must have been sent in it.
    """
    with load_client(mesh) as load:
        load.wait_requests(25)
        started = time.monotonic()
        applied = mesh.deployer("apply")
        mesh.wait_settled("tax")
        report = load.report(since=started)
    print(report.line(label))
    assert report.total >= minimum, f"only {report.total} requests during the event (want {minimum}): {report}"
    return applied, report


def test_rolling_update_at_count_1_goes_through_a_canary(mesh_factory):
    mesh = mesh_factory()
    old = mesh.live_allocs("tax")
    mesh.edit_values(_set("services", "tax", "env", {"RELEASE": "2"}))
    applied, report = _apply_under_load(mesh, f"[{mesh_factory.sidecar}] rolling update of tax, count 1 (canary)",
                                       minimum=MIN_REQUESTS["rolling update"])
    assert applied.code == 0, applied.err + applied.out
    deployment = mesh.nomad("/v1/job/tax/deployment")
    assert deployment["TaskGroups"]["tax"]["DesiredCanaries"] == 1 and deployment["Status"] == "successful"
    assert set(mesh.live_allocs("tax").values()).isdisjoint(old.values())  # a new allocation serves now
    assert report.failed == 0, report


def test_rolling_update_at_count_2(mesh_factory):
    mesh = mesh_factory(_set("services", "tax", "count", 2))
    mesh.edit_values(_set("services", "tax", "env", {"RELEASE": "2"}))
    applied, report = _apply_under_load(mesh, f"[{mesh_factory.sidecar}] rolling update of tax, count 2",
                                       minimum=MIN_REQUESTS["rolling update"])
    assert applied.code == 0, applied.err + applied.out
    assert len(mesh.live_allocs("tax")) == 2
    assert report.failed == 0, report


@pytest.mark.parametrize("before, after", [(2, 1), (1, 2)])
def test_scaling_keeps_the_running_allocations(mesh_factory, before, after):
    mesh = mesh_factory(_set("services", "tax", "count", before))
    old = mesh.live_allocs("tax")
    mesh.edit_values(_set("services", "tax", "count", after))
    applied, report = _apply_under_load(mesh, f"[{mesh_factory.sidecar}] scale tax {before} -> {after}",
                                       minimum=MIN_REQUESTS["scale down" if after < before else "scale up"])
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
    applied, report = _apply_under_load(mesh, f"[{mesh_factory.sidecar}] bad release of tax, count 1",
                                       minimum=MIN_REQUESTS["bad release"])
    assert applied.code == 2, applied.out + applied.err
    assert "canary of job tax failed, the old version kept serving" in applied.err
    assert "rolling back to job version" in applied.err
    assert list(mesh.live_allocs("tax").values()) == [old]
    assert report.failed == 0, report
