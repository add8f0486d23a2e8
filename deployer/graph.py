"""Dependency order of services, derived from their upstreams."""

from __future__ import annotations

from collections.abc import Mapping, Iterable

from deployer.errors import DeployerError


def dependency_levels(upstreams: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Group services into levels: each level depends only on earlier ones (deepest first).

    `upstreams` maps a service to the services it calls. Upstreams that are not keys
    (external services) are ignored. Names inside a level are sorted.
    """
    known = set(upstreams)
    pending = {name: {up for up in ups if up in known and up != name} for name, ups in upstreams.items()}
    levels: list[list[str]] = []
    placed: set[str] = set()
    while pending:
        ready = sorted(name for name, deps in pending.items() if deps <= placed)
        if not ready:
            cycle = " -> ".join(find_cycle(pending) or sorted(pending))
            raise DeployerError(f"dependency cycle between services: {cycle}",
                                hint="remove an upstream so the services form a chain, not a loop")
        levels.append(ready)
        placed.update(ready)
        for name in ready:
            del pending[name]
    return levels


def find_cycle(upstreams: Mapping[str, Iterable[str]]) -> list[str] | None:
    """A loop of calls as a path that ends where it starts (["a", "b", "a"]), or None; walked in the given order."""
    done: set[str] = set()
    for start in upstreams:
        if start in done:
            continue
        trail, stack = [], [(start, iter(list(upstreams[start])))]
        on_trail = {start}
        trail.append(start)
        while stack:
            name, targets = stack[-1]
            target = next((t for t in targets if t in upstreams), None)
            if target is None:
                stack.pop()
                on_trail.discard(trail.pop())
                done.add(name)
            elif target in on_trail:
                return trail[trail.index(target):] + [target]
            elif target not in done:
                trail.append(target)
                on_trail.add(target)
                stack.append((target, iter(list(upstreams[target]))))
    return None


def destroy_levels(upstreams: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The reverse of dependency_levels: callers go before the services they call."""
    return list(reversed(dependency_levels(upstreams)))


def service_upstreams(values) -> dict[str, list[str]]:
    """Map each service of a MeshValues to the names of its upstreams."""
    return {name: [up.name for up in svc.upstreams] for name, svc in values.services.items()}
