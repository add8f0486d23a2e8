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


def _resync(ctx: FakeContext, wanted: bool = True) -> ConsulResync:
    registration = LiveRegistration("alloc-1", PAYLOAD, False, None, lambda: wanted)
    return ConsulResync(ctx, lambda: [registration], poll_seconds=1.0, down_poll_seconds=0.2)


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
