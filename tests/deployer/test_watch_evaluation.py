"""How the deployer reads the end of a register evaluation, with Nomad's answers faked (pure)."""

import pytest

from deployer.errors import DeploymentFailed
from deployer.watch import wait_for_evaluation


class _Answer:
    def __init__(self, body):
        self.body, self.status_code, self.ok, self.headers, self.text = body, 200, True, {"X-Nomad-Index": "7"}, ""

    def json(self):
        return self.body


class _Clients:
    def __init__(self, evaluation):
        self.evaluation = evaluation

    def nomad_get(self, path, params=None, timeout=30):
        return _Answer(self.evaluation)


def test_an_evaluation_cancelled_for_a_newer_one_is_not_a_failure():
    # Nomad's eval broker cancels a pending evaluation of a job once a newer one of the same job is processed
    evaluation = {"ID": "e1", "Status": "canceled", "StatusDescription": "canceled after more recent eval was processed"}
    assert wait_for_evaluation(_Clients(evaluation), "e1", "api")["Status"] == "canceled"


def test_a_failed_evaluation_is_a_failure():
    with pytest.raises(DeploymentFailed, match="evaluation of job api failed: no reason given"):
        wait_for_evaluation(_Clients({"ID": "e1", "Status": "failed"}), "e1", "api")
