"""Values files for a run: the real three-service mesh on free ports, and generated chains and trees."""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from pathlib import Path

import yaml

from bench.ports import free_port
from deployer.values import DEFAULT_VALUES

FIRST_APP_PORT = 7100


def unique_port_picker(pick: Callable[[], int] = free_port) -> Callable[[], int]:
    """A free_port that never hands out the same port twice (the values schema wants them unique)."""
    given: set[int] = set()

    def next_port() -> int:
        while True:
            port = pick()
            if port not in given:
                given.add(port)
                return port

    return next_port


def mesh_values(base: dict, next_port: Callable[[], int]) -> dict:
    """dev.yaml's mesh with order's published port and every upstream listener on free ports."""
    data = copy.deepcopy(base)
    for service in data["services"].values():
        if service.get("static_port") is not None:
            # static == to (the app's port): devagent without namespaces binds the app on the host port.
            service["static_port"] = service["port"] = next_port()
        for upstream in service.get("upstreams", []):
            upstream["local_bind_port"] = next_port()
    return data


def with_keepalive(data: dict) -> dict:
    """The same mesh with every service pooling its upstream connections (UPSTREAM_KEEPALIVE=1)."""
    changed = copy.deepcopy(data)
    for service in changed["services"].values():
        service["env"] = {**(service.get("env") or {}), "UPSTREAM_KEEPALIVE": "1"}
    return changed


def tree_levels(count: int, depth: int) -> list[int]:
    """How many services sit at each level of a tree of `depth` levels (root first)."""
    if count < 1 or depth < 1:
        raise ValueError("a tree needs at least one service and one level")
    if depth == 1 or count == 1:
        return [count] if depth == 1 else [1]
    if depth == 2:
        return [1, count - 1]
    # Three levels: about sqrt(n) services in the middle, the rest below them.
    middle = max(1, min(count - 2, round(math.sqrt(count - 1))))
    return [1, middle, count - 1 - middle] if count >= 3 else [1, count - 1]


def tree_parents(count: int) -> dict[int, int | None]:
    """Parent index of each service in a depth-3 tree (0 is the root), children spread evenly."""
    levels = tree_levels(count, 3)
    parents: dict[int, int | None] = {0: None}
    index = 1
    previous = [0]
    for size in levels[1:]:
        current = list(range(index, index + size))
        for position, child in enumerate(current):
            parents[child] = previous[position % len(previous)]
        previous, index = current, index + size
    return parents


def chain_parents(count: int) -> dict[int, int | None]:
    """Parent index of each service in a chain: service i calls service i+1."""
    return {i: (i - 1 if i else None) for i in range(count)}


GENERATED_HEALTHY_DEADLINE = "5m"
GENERATED_PROGRESS_DEADLINE = "10m"


def generated_values(base: dict, parents: dict[int, int | None], next_port: Callable[[], int],
                     check_interval: str = "") -> dict:
    """A values file of len(parents) services `svc-NN` that call their children through sidecars.

    Every service runs the tax app (it needs no upstream to be healthy); each caller gets one
    upstream listener per child, and every edge is an explicit allow intention, as in dev.yaml.
    check_interval, when given, replaces the base's time between health checks.
    """
    data = copy.deepcopy(base)
    if check_interval:
        data["check"] = {**data.get("check", {}), "interval": check_interval}
    names = {i: f"svc-{i + 1:02d}" for i in parents}
    services = {}
    for i in sorted(parents):
        children = [c for c, p in sorted(parents.items()) if p == i]
        services[names[i]] = {
            "app": "tax",
            "port": FIRST_APP_PORT + i,
            "upstreams": [{"name": names[c], "local_bind_port": next_port()} for c in children],
            "resources": {"cpu": 100, "memory": 128},
        }
    data["services"] = services
    # dev.yaml's 1 m health deadline suits three services; a hundred starting at once on two
    # shared cores need longer to all pass their checks (the apply time is measured, not capped).
    data["update"] = {**data.get("update", {}), "healthy_deadline": GENERATED_HEALTHY_DEADLINE,
                      "progress_deadline": GENERATED_PROGRESS_DEADLINE}
    data["intentions"] = {
        "default": "allow",
        "rules": [{"source": names[p], "destination": names[c], "action": "allow"}
                  for c, p in sorted(parents.items()) if p is not None],
    }
    return data


def dependency_levels(parents: dict[int, int | None]) -> int:
    """Number of apply waves: the longest path from the root to a leaf, in services."""
    def depth(i: int) -> int:
        return 1 if parents[i] is None else 1 + depth(parents[i])
    return max(depth(i) for i in parents)


def base_values() -> dict:
    """jobs/values/dev.yaml as a mapping."""
    return yaml.safe_load(DEFAULT_VALUES.read_text())


def write_values(data: dict, path: Path) -> Path:
    """Write a values mapping as YAML."""
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def order_port(data: dict) -> int:
    """The port order is published on."""
    return data["services"]["order"]["static_port"]
