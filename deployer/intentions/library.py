"""Intentions as operations: set, delete and sync them in Consul; the CLI, apply and the UI call these."""

from __future__ import annotations

from deployer.errors import DeployerError
from deployer.interrupts import deferred_interrupt
from deployer.intentions.backend import intentions_backend
from deployer.intentions.consul_default import consul_default_action
from deployer.intentions.enforcement import Enforcement, EnforcementProbe, wait_pairs_enforced
from deployer.intentions.model import (WILDCARD, Intention, IntentionChanges, declared_intentions,
                                       diff_intentions, expected_action)


def find_pair(intentions: list[Intention], source: str, destination: str) -> Intention | None:
    """The intention for exactly this pair, if any."""
    return next((i for i in intentions if i.key == (source, destination)), None)


def check_service_names(clients, values, names: list[str], force: bool) -> None:
    """Unknown services (not in the values, not in Consul's catalog) are a mistake unless forced."""
    if force:
        return
    known = set(values.services)
    unknown = [n for n in names if n != WILDCARD and n not in known]
    if unknown:
        catalog = clients.consul_call("list services", clients.consul.catalog.services)[1] or {}
        unknown = [n for n in unknown if n not in catalog]
    if unknown:
        raise DeployerError(f"unknown service {unknown[0]!r} (not in {values.path} nor in Consul's catalog)",
                            hint=f"known services: {', '.join(sorted(known))}; pass --force to use it anyway")


def set_intention(clients, source: str, destination: str, action: str, force: bool = False) -> Intention | None:
    """Make source -> destination a managed `action` intention; returns what was there before (None: nothing).

    Returns the existing intention unchanged when it already has that action; refuses to
    take over an intention the deployer does not manage unless forced.
    """
    backend = intentions_backend(clients)
    current = find_pair(backend.list(), source, destination)
    if current and current.action == action:
        return current
    if current and not current.managed and not force:
        raise DeployerError(f"intention {source} -> {destination} ({current.action}) is not managed by the deployer",
                            hint="pass --force to take it over")
    with deferred_interrupt():
        if current:
            backend.update(current, action)
        else:
            backend.create(Intention(source, destination, action, managed=True))
    return current


def delete_intention(clients, source: str, destination: str, force: bool = False) -> Intention | None:
    """Delete the intention for exactly this pair; returns it (None: there was none)."""
    backend = intentions_backend(clients)
    current = find_pair(backend.list(), source, destination)
    if current is None:
        return None
    if not current.managed and not force:
        raise DeployerError(f"intention {source} -> {destination} is not managed by the deployer",
                            hint="pass --force to delete it anyway")
    with deferred_interrupt():
        backend.delete(current)
    return current


def applies_now(clients, source: str, destination: str) -> str:
    """What Consul applies to the pair from its intentions and default: "allow" or "deny"."""
    return "allow" if intentions_backend(clients).check(source, destination) else "deny"


def pending_changes(clients, values) -> tuple[object, IntentionChanges]:
    """The backend and what it takes to make Consul match the values' policy."""
    backend = intentions_backend(clients)
    wanted = declared_intentions(values.intentions, consul_default_action(clients))
    return backend, diff_intentions(wanted, backend.list())


def apply_changes(backend, changes: IntentionChanges) -> None:
    """Write the changes; Ctrl-C waits until all are written."""
    with deferred_interrupt():
        for wanted in changes.create:
            backend.create(wanted)
        for current, wanted in changes.update:
            backend.update(current, wanted.action)
        for current in changes.delete:
            backend.delete(current)


def sync_intentions(clients, values, probe: EnforcementProbe | None = None) -> IntentionChanges:
    """Make Consul match the declared policy, touching only managed intentions.

    With a probe, first hold a connection for each pair the changes will deny, to ask it afterwards.
    """
    backend, changes = pending_changes(clients, values)
    if probe is not None:
        expected = expected_after(clients, values, changes)
        probe.keep_open(sorted(pair for pair, action in expected.items() if action == "deny"))
    apply_changes(backend, changes)
    return changes


def expected_after(clients, values, changes: IntentionChanges) -> dict[tuple[str, str], str]:
    """Every pair of services a change affects, with the action the declared policy gives it."""
    keys = {c.key for c in changes.create + changes.delete} | {c.key for c, _ in changes.update}
    services = list(values.services)
    pairs = {(a, b) for src, dst in keys for a in services for b in services
             if a != b and src in (a, WILDCARD) and dst in (b, WILDCARD)}
    if not pairs:
        return {}
    consul_default = consul_default_action(clients)
    return {pair: expected_action(values.intentions, *pair, consul_default) for pair in pairs}


def wait_changes_enforced(clients, values, changes: IntentionChanges, deadline: float = 10.0,
                          probe: EnforcementProbe | None = None) -> list[Enforcement]:
    """Probe every pair of services a change affects until its sidecar enforces the policy; raise if late."""
    expected = expected_after(clients, values, changes)
    if not expected:
        return []
    results = wait_pairs_enforced(clients, expected, deadline, probe=probe)
    late = [r for r in results if not r.enforced]
    if late:
        first = late[0]
        raise DeployerError(f"{first.source} -> {first.destination} not enforced as "
                            f"{expected[(first.source, first.destination)]} after {first.seconds:.1f}s: {first.detail}",
                            hint="check the destination's sidecar (deployer status), then run `deployer verify`")
    return results
