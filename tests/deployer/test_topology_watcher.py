"""The page's watcher: new snapshot versions only on change, failures keep the picture, probes reused."""

import time

import pytest

import deployer.topology.ui.watcher as watcher_module
from deployer.clients import Endpoints
from deployer.errors import DeployerError
from deployer.topology.model import CONFIRMED, MISMATCH, EdgeLink, ServiceNode, Topology
from deployer.topology.ui.watcher import TopologyWatcher


class FakeProber:
    """Answers each probe with the next planned outcome, counting probes."""

    def __init__(self, outcomes):
        self.outcomes = outcomes
        self.count = 0

    def probe(self, edge):
        self.count += 1
        edge.dataplane, edge.dataplane_detail = self.outcomes.pop(0), "probed"

    def close(self):
        pass


@pytest.fixture
def mesh(monkeypatch):
    """What read_topology returns next (set state["action"] / state["error"])."""
    state = {"action": "allow", "error": None}

    def read(clients, values):
        if state["error"]:
            raise DeployerError(state["error"], hint="is make up running?")
        return Topology([ServiceNode("invoice", True, 1, 1, 1, "passing", "passing", False),
                         ServiceNode("tax", True, 1, 1, 1, "passing", "passing", False)],
                        [EdgeLink("invoice", "tax", state["action"], None)])

    monkeypatch.setattr(watcher_module, "read_topology", read)
    monkeypatch.setattr(watcher_module.SidecarStats, "update", lambda self, topology: None)
    return state


def make_watcher(outcomes):
    watcher = TopologyWatcher(Endpoints.resolve("http://127.0.0.1:1", None, "127.0.0.1:1", None), values=None)
    watcher.prober, watcher.prober_since = FakeProber(outcomes), time.monotonic()
    return watcher


def test_version_moves_only_when_the_picture_changes(mesh):
    watcher = make_watcher([CONFIRMED, CONFIRMED])
    watcher.refresh()
    first = watcher.snapshot()
    assert first["topology"]["edges"][0]["state"] == "allowed" and first["error"] is None
    watcher.refresh()
    assert watcher.snapshot()["version"] == first["version"]
    mesh["action"] = "deny"
    watcher.refresh()
    changed = watcher.snapshot()
    assert changed["version"] == first["version"] + 1
    assert changed["topology"]["edges"][0]["state"] == "denied"


def test_a_failed_read_keeps_the_last_picture_and_says_why(mesh):
    watcher = make_watcher([CONFIRMED])
    watcher.refresh()
    good = watcher.snapshot()
    mesh["error"] = "cannot reach Nomad at http://127.0.0.1:1: connection refused"
    watcher.refresh()
    failed = watcher.snapshot()
    assert failed["svg"] == good["svg"] and failed["topology"] == good["topology"]
    assert failed["error"] == "cannot reach Nomad at http://127.0.0.1:1: connection refused (is make up running?)"
    assert failed["version"] == good["version"] + 1


def test_confirmed_edges_are_not_probed_again_until_something_changes(mesh):
    watcher = make_watcher([CONFIRMED, MISMATCH, CONFIRMED])
    for _ in range(3):
        watcher.refresh()
    assert watcher.prober.count == 1            # confirmed once, then reused
    mesh["action"] = "deny"
    watcher.refresh()                           # what applies changed: probe; the sidecar lags (mismatch)
    watcher.refresh()                           # a mismatch is probed again on the next read
    assert watcher.prober.count == 3
    assert watcher.snapshot()["topology"]["edges"][0]["state"] == "denied"


def test_a_bug_while_reading_does_not_stop_the_watcher(mesh, monkeypatch):
    watcher = make_watcher([CONFIRMED, CONFIRMED])
    watcher.refresh()
    monkeypatch.setattr(watcher_module.SidecarStats, "update", lambda self, topology: {}["missing"])
    watcher.refresh()
    assert watcher.snapshot()["error"].startswith("unexpected KeyError: 'missing'")
    monkeypatch.setattr(watcher_module.SidecarStats, "update", lambda self, topology: None)
    watcher.refresh()
    assert watcher.snapshot()["error"] is None


def test_old_certificates_are_fetched_again(mesh, monkeypatch):
    watcher = make_watcher([CONFIRMED])
    watcher.prober_since -= watcher_module.PROBER_MAX_AGE + 1
    fresh = FakeProber([CONFIRMED])
    monkeypatch.setattr(watcher_module, "EdgeProber", lambda clients: fresh)
    watcher.refresh()
    assert watcher.prober is fresh and fresh.count == 1
