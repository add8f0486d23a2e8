"""MeshValues-like objects for unit tests that must not depend on a values file."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FakeUpstream:
    name: str
    local_bind_port: int


@dataclass(frozen=True)
class FakeService:
    name: str
    port: int = 5000
    static_port: int | None = None
    count: int = 1
    upstreams: tuple = ()


@dataclass(frozen=True)
class FakeRule:
    source: str
    destination: str
    action: str


@dataclass(frozen=True)
class FakePolicy:
    default: str = "allow"
    rules: tuple = ()


@dataclass
class FakeValues:
    services: dict
    intentions: FakePolicy = field(default_factory=FakePolicy)
    path: str = "fake.yaml"


def chain_values(default: str = "allow", rules=(("order", "invoice", "allow"), ("invoice", "tax", "allow"))):
    """order -> invoice -> tax, like jobs/values/dev.yaml."""
    services = {
        "order": FakeService("order", 5000, 5000, upstreams=(FakeUpstream("invoice", 6001),)),
        "invoice": FakeService("invoice", 5001, upstreams=(FakeUpstream("tax", 6002),)),
        "tax": FakeService("tax", 5002),
    }
    return FakeValues(services, FakePolicy(default, tuple(FakeRule(*r) for r in rules)))
