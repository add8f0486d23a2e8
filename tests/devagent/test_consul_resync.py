"""ConsulResync without a Consul: what one pass registers again, and how soon the next pass comes."""

from __future__ import annotations

from devagent.consul_api import ConsulError
from devagent.consul_resync import ConsulResync, LiveRegistration

PAYLOAD = {"ID": "svc-1", "Name": "tax", "Tags": ["v1"], "Connect": {"SidecarService": {}},
           "Checks": [{"CheckID": "svc-1-http"}]}


class FakeConsul:
    """An agent that is down until `up` is set, then holds what was registered."""

    http_addr = "127.0.0.1:1"

    def __init__(self):
        self.up = False
        self.leader = True
        self.registered: dict[str, dict] = {}
        self.root = "root-1"
        self.client = self  # the generic call() the resync uses for the CA roots

    def call(self, method: str, path: str):
        assert (method, path) == ("GET", "/v1/agent/connect/ca/roots")
        if not self.up:
            raise ConsulError("connection refused")
        return {"ActiveRootID": self.root}

    def alive(self) -> bool:
        return self.up and self.leader

    def services(self) -> dict:
        if not self.up:
            raise ConsulError("connection refused")
        return self.registered

    def checks(self) -> dict:
        return {}

    def register_service(self, payload: dict) -> None:
        self.registered[payload["ID"]] = payload
        if "SidecarService" in payload.get("Connect", {}):
            self.registered[payload["ID"] + "-sidecar-proxy"] = {}


class FakeContext:
    def __init__(self):
        self.consul = FakeConsul()
        self.lines: list[str] = []

    def log(self, line: str) -> None:
        self.lines.append(line)


def _resync(ctx: FakeContext, wanted: bool = True, on_ca_change=None) -> ConsulResync:
    registration = LiveRegistration("alloc-1", PAYLOAD, False, None, lambda: wanted)
    return ConsulResync(ctx, lambda: [registration], poll_seconds=1.0, down_poll_seconds=0.2,
                        on_ca_change=on_ca_change)


def test_polls_fast_while_the_agent_is_down_and_registers_as_soon_as_it_answers():
    ctx = FakeContext()
    resync = _resync(ctx)
    assert resync.next_wait() == 1.0
    assert resync.sync_once() == []
    assert resync.next_wait() == 0.2  # down: its return is noticed within 0.2 s
    ctx.consul.up = True
    assert resync.sync_once() == ["svc-1"]
    assert "svc-1-sidecar-proxy" in ctx.consul.registered
    assert resync.next_wait() == 1.0
    assert any("Consul agent is back; restored 1 registration(s)" in line for line in ctx.lines)
    assert resync.sync_once() == []  # nothing lost any more


def test_an_allocation_being_stopped_is_not_registered_again():
    ctx = FakeContext()
    ctx.consul.up = True
    resync = _resync(ctx, wanted=False)
    assert resync.sync_once() == [] and ctx.consul.registered == {}


def test_waits_for_a_leader_before_registering_again():
    ctx = FakeContext()
    ctx.consul.up, ctx.consul.leader = True, False  # answers, but has not elected itself yet
    resync = _resync(ctx)
    assert resync.sync_once() == [] and ctx.consul.registered == {}
    assert resync.next_wait() == 0.2
    ctx.consul.leader = True
    assert resync.sync_once() == ["svc-1"]


def test_a_new_ca_after_the_agent_came_back_is_reported_once():
    ctx = FakeContext()
    ctx.consul.up = True
    changes = []
    resync = _resync(ctx, on_ca_change=lambda: changes.append(ctx.consul.root))
    assert resync.sync_once() == ["svc-1"] and changes == []  # the first root seen is no change
    ctx.consul.up = False
    resync.sync_once()
    ctx.consul.up, ctx.consul.registered, ctx.consul.root = True, {}, "root-2"  # a restarted dev agent
    assert resync.sync_once() == ["svc-1"]
    assert changes == ["root-2"]
    resync.sync_once()
    assert changes == ["root-2"]


def test_an_agent_back_with_the_same_ca_restarts_nothing():
    ctx = FakeContext()
    ctx.consul.up = True
    changes = []
    resync = _resync(ctx, on_ca_change=lambda: changes.append(ctx.consul.root))
    resync.sync_once()
    ctx.consul.registered = {}  # someone deregistered the service
    assert resync.sync_once() == ["svc-1"] and changes == []


def test_a_registration_completed_during_the_pass_is_not_written_again():
    """The allocation finishes registering after the resync listed what it registered, before Consul is read."""
    ctx = FakeContext()
    ctx.consul.up = True
    writes = []
    registration = LiveRegistration("alloc-1", PAYLOAD, False, None, lambda: True)
    registered = []  # what the allocation's runner has finished registering, as the resync lists it

    def services() -> dict:
        # the runner's own registration lands in Consul while the resync waits for this answer
        ctx.consul.registered.update({PAYLOAD["ID"]: PAYLOAD, PAYLOAD["ID"] + "-sidecar-proxy": {}})
        registered.append(registration)
        return {} if len(registered) == 1 else ctx.consul.registered  # the answer predates it

    ctx.consul.services = services
    ctx.consul.register_service = writes.append
    resync = ConsulResync(ctx, lambda: list(registered), poll_seconds=1.0)
    assert resync.sync_once() == [] and writes == []
    assert resync.sync_once() == [] and writes == []  # the next pass sees it in Consul
