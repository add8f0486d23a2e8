"""Canary state as the deployer shows it, `deployer promote` errors, and the canary values keys."""

from __future__ import annotations

import pytest
import yaml

from deployer.cli import main
from deployer.watch import awaiting_manual_promotion, canary_note, failure_message
from tests.deployer.cli_helpers import Run, assert_one_error


def _deployment(status="running", promoted=False, auto=False, placed=1, healthy=0, desired_canaries=1, description=""):
    return {"ID": "d", "JobID": "tax", "Status": status, "StatusDescription": description,
            "TaskGroups": {"tax": {"DesiredCanaries": desired_canaries, "Promoted": promoted, "AutoPromote": auto,
                                   "PlacedCanaries": ["c"] * placed, "HealthyAllocs": healthy, "DesiredTotal": 1}}}


@pytest.mark.parametrize("deployment, note, waits", [
    (_deployment(healthy=0), "canary 0/1 healthy beside the old version", False),
    (_deployment(healthy=1, auto=True), "canary healthy, promoting", False),
    (_deployment(healthy=1), "canary healthy, old version serving; promote with `deployer promote tax`", True),
    (_deployment(promoted=True, healthy=1), "canary promoted, replacing the old version", False),
    (_deployment(status="successful", promoted=True, healthy=1), "", False),
    (_deployment(desired_canaries=0, placed=0), "", False),
])
def test_canary_note_and_manual_promotion(deployment, note, waits):
    assert canary_note("tax", deployment) == note
    assert awaiting_manual_promotion(deployment) is waits


def test_a_failed_canary_says_the_old_version_kept_serving():
    failed = _deployment(status="failed", description="Failed due to unhealthy allocations - rolling back to job version 2")
    assert failure_message("tax", failed) == ("canary of job tax failed, the old version kept serving: "
                                              "Failed due to unhealthy allocations - rolling back to job version 2")
    rolled = _deployment(status="failed", desired_canaries=0, placed=0, description="Failed due to progress deadline")
    assert failure_message("tax", rolled) == "deployment of job tax failed: Failed due to progress deadline"


def test_promote_an_unknown_job_is_one_error(capsys):
    code = main(["--nomad-addr", "http://127.0.0.1:9", "promote", "nosuch"])
    captured = capsys.readouterr()
    assert_one_error(Run(code, captured.out, captured.err), code=1, contains="unknown job 'nosuch'")


def test_auto_promote_needs_a_canary(tmp_path, capsys):
    from deployer.values import DEFAULT_VALUES
    text = DEFAULT_VALUES.read_text().replace("  canary: 1\n", "  canary: 0\n")
    values = tmp_path / "values.yaml"
    values.write_text(text)
    code = main(["--values", str(values), "render"])
    captured = capsys.readouterr()
    assert code == 1 and "update.auto_promote" in captured.err and "Canary count greater than zero" in captured.err


@pytest.mark.devagent
@pytest.mark.consul
def test_manual_promotion_end_to_end(devagent, clean_intentions, tmp_path, capsys):
    from tests.e2e.mesh import Deployer
    from tests.fixtures.consul import deployer_token
    from tests.mesh_values import values_on_free_ports

    def manual(data):
        data["update"]["auto_promote"] = False
        data["services"]["order"].setdefault("env", {})["SERVICE_HOST"] = "0.0.0.0"
    values, _ = values_on_free_ports(tmp_path, change=manual)
    deployer = Deployer(devagent.address, devagent.consul.http_addr, values, capsys,
                        consul_token=deployer_token(devagent.consul))
    try:
        assert deployer("apply").code == 0
        assert deployer("promote").out.strip() == "nothing to promote: no deployment waits for a promotion"
        data = yaml.safe_load(values.read_text())
        data["services"]["tax"]["env"] = {"RELEASE": "2"}
        values.write_text(yaml.safe_dump(data, sort_keys=False))
        waiting = deployer("apply")
        assert waiting.code == 0, waiting.err
        assert "tax: version 1 canary healthy beside the old version; promote it with `deployer promote tax`" in waiting.out
        status = deployer("status")
        assert status.code == 2 and "tax: not healthy: canary healthy, old version serving" in status.out
        promoted = deployer("promote", "tax")
        assert promoted.code == 0, promoted.err
        assert "tax: promoted 1 canary(ies) of version 1" in promoted.out and "successful (1/1 healthy)" in promoted.out
        assert deployer("status").code == 0
    finally:
        deployer("destroy", "--no-wait")
