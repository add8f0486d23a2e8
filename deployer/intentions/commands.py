"""The `deployer intentions ...` subcommands."""

from __future__ import annotations

from deployer.errors import DeployerError
from deployer.interrupts import deferred_interrupt
from deployer.intentions.backend import intentions_backend
from deployer.intentions.model import (WILDCARD, Intention, IntentionChanges, declared_intentions,
                                       diff_intentions, expected_action)
from deployer.verify.enforcement import wait_enforced, wait_pairs_enforced


def cmd_list(ctx, args) -> int:
    """Print every intention in Consul, ours marked as managed."""
    intentions = intentions_backend(ctx.clients).list()
    if ctx.json:
        ctx.console.json([intention_json(i) for i in intentions])
        return 0
    print_intentions(ctx.console, intentions)
    return 0


def intention_json(intention: Intention) -> dict:
    """One intention as plain data for --json."""
    return {"source": intention.source, "destination": intention.destination, "action": intention.action,
            "managed": intention.managed}


def print_intentions(console, intentions: list[Intention]) -> None:
    """The intentions table (or a line saying there are none)."""
    if not intentions:
        console.line("no intentions")
        return
    console.table(["SOURCE", "DESTINATION", "ACTION", "MANAGED"],
                  [[i.source, i.destination, i.action, "yes" if i.managed else "no"] for i in intentions])


def cmd_check(ctx, args) -> int:
    """Ask Consul whether SRC may call DST (control plane); exit 0 either way."""
    allowed = intentions_backend(ctx.clients).check(args.source, args.destination)
    verdict = "allowed" if allowed else "denied"
    if ctx.json:
        ctx.console.json({"source": args.source, "destination": args.destination, "allowed": allowed})
    else:
        ctx.console.line(f"{args.source} -> {args.destination}: {verdict}")
    return 0


def cmd_set(ctx, args) -> int:
    """`allow`/`deny SRC DST`: write a managed exact intention, then wait for the data plane."""
    action = args.intentions_command
    check_service_names(ctx, [args.source, args.destination], args.force)
    backend = intentions_backend(ctx.clients)
    current = find_pair(backend.list(), args.source, args.destination)
    pair = f"{args.source} -> {args.destination}"
    if current and current.action == action:
        ctx.console.line(f"{pair}: already {action}")
        return 0
    if current and not current.managed and not args.force:
        raise DeployerError(f"intention {pair} ({current.action}) is not managed by the deployer",
                            hint="pass --force to take it over")
    with deferred_interrupt():
        if current:
            backend.update(current, action)
        else:
            backend.create(Intention(args.source, args.destination, action, managed=True))
    ctx.console.line(f"{pair}: {action} ({'was ' + current.action if current else 'created'})")
    if not args.no_wait:
        report_enforcement(ctx, args.source, args.destination, action, args.timeout)
    return 0


def report_enforcement(ctx, source: str, destination: str, action: str, deadline: float) -> None:
    """Wait for the sidecar to enforce the change and say how long it took."""
    if WILDCARD in (source, destination):
        ctx.console.line("wildcard intention: not probed in the data plane")
        return
    result = wait_enforced(ctx.clients, source, destination, action, deadline=deadline)
    if result is None:
        ctx.console.line(f"not probed: {destination} has no sidecar in Consul yet")
    elif result.enforced:
        ctx.console.line(f"enforced by {destination}'s sidecar after {result.seconds * 1000:.0f} ms ({result.detail})")
    else:
        raise DeployerError(f"{source} -> {destination} not enforced as {action} after {result.seconds:.1f}s: "
                            f"{result.detail}", hint="check the sidecar of the destination (deployer status)")


def cmd_delete(ctx, args) -> int:
    """Delete the intention for SRC -> DST; saying so when there is none."""
    backend = intentions_backend(ctx.clients)
    current = find_pair(backend.list(), args.source, args.destination)
    pair = f"{args.source} -> {args.destination}"
    if current is None:
        ctx.console.line(f"{pair}: no intention, nothing to delete")
        return 0
    if not current.managed and not args.force:
        raise DeployerError(f"intention {pair} is not managed by the deployer",
                            hint="pass --force to delete it anyway")
    with deferred_interrupt():
        backend.delete(current)
    ctx.console.line(f"{pair}: deleted ({current.action})")
    if not args.no_wait:
        # What now applies comes from the remaining intentions and Consul's default: ask Consul.
        now = "allow" if backend.check(args.source, args.destination) else "deny"
        ctx.console.line(f"{pair}: now {now} (remaining intentions and the default)")
        report_enforcement(ctx, args.source, args.destination, now, args.timeout)
    return 0


def pending_changes(ctx) -> tuple[object, IntentionChanges]:
    """The backend and what it takes to make Consul match the values' policy."""
    backend = intentions_backend(ctx.clients)
    wanted = declared_intentions(ctx.values.intentions)
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


def sync_intentions(ctx) -> IntentionChanges:
    """Make Consul match the declared policy, touching only managed intentions."""
    backend, changes = pending_changes(ctx)
    apply_changes(backend, changes)
    return changes


def cmd_apply(ctx, args) -> int:
    """Make Consul's intentions match the declared policy and report what changed."""
    changes = sync_intentions(ctx)
    if ctx.json:
        ctx.console.json(changes.as_json())
    else:
        report_changes(ctx.console, changes, done=True)
    if not args.no_wait:
        wait_changes_enforced(ctx, changes)
    return 0


def wait_changes_enforced(ctx, changes: IntentionChanges, deadline: float = 10.0) -> None:
    """Probe every pair of services a change affects until its sidecar enforces the policy."""
    keys = {c.key for c in changes.create + changes.delete} | {c.key for c, _ in changes.update}
    services = list(ctx.values.services)
    pairs = {(a, b) for src, dst in keys for a in services for b in services
             if a != b and src in (a, WILDCARD) and dst in (b, WILDCARD)}
    if not pairs:
        return
    expected = {pair: expected_action(ctx.values.intentions, *pair) for pair in pairs}
    results = wait_pairs_enforced(ctx.clients, expected, deadline)
    late = [r for r in results if not r.enforced]
    if late:
        first = late[0]
        raise DeployerError(f"{first.source} -> {first.destination} not enforced as "
                            f"{expected[(first.source, first.destination)]} after {first.seconds:.1f}s: {first.detail}",
                            hint="check the destination's sidecar (deployer status), then run `deployer verify`")
    if results and not ctx.json:
        slowest = max(r.seconds for r in results)
        ctx.console.line(f"intentions: enforced by the sidecars for {len(results)} pair(s) "
                         f"within {slowest * 1000:.0f} ms")


def report_changes(console, changes: IntentionChanges, done: bool) -> None:
    """Print each change (past tense when done), or `no changes`."""
    if changes.empty and not changes.conflicts:
        console.line("intentions: no changes")
        return
    for text in changes.lines():
        if done and not text.startswith("conflict"):
            verb, rest = text.split(" ", 1)
            text = {"create": "created", "update": "updated", "delete": "deleted"}[verb] + " " + rest
        console.line(f"intentions: {text}")


def cmd_diff(ctx, args) -> int:
    """Show drift between Consul and the declared policy; exit 1 when there is some."""
    _, changes = pending_changes(ctx)
    drift = not changes.empty or bool(changes.conflicts)
    if ctx.json:
        ctx.console.json({"drift": drift, **changes.as_json()})
    else:
        report_changes(ctx.console, changes, done=False)
    return 1 if drift else 0


def find_pair(intentions: list[Intention], source: str, destination: str) -> Intention | None:
    """The intention for exactly this pair, if any."""
    return next((i for i in intentions if i.key == (source, destination)), None)


def check_service_names(ctx, names: list[str], force: bool) -> None:
    """Unknown services (not in the values, not in Consul's catalog) are a mistake unless forced."""
    if force:
        return
    known = set(ctx.values.services)
    unknown = [n for n in names if n != WILDCARD and n not in known]
    if unknown:
        catalog = ctx.clients.consul_call("list services", ctx.clients.consul.catalog.services)[1] or {}
        unknown = [n for n in unknown if n not in catalog]
    if unknown:
        raise DeployerError(f"unknown service {unknown[0]!r} (not in {ctx.values.path} nor in Consul's catalog)",
                            hint=f"known services: {', '.join(sorted(known))}; pass --force to use it anyway")
