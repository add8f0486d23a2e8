"""The `deployer intentions ...` subcommands: parse, call the library, print."""

from __future__ import annotations

from deployer.errors import DeployerError
from deployer.intentions.backend import intentions_backend
from deployer.intentions.enforcement import wait_enforced
from deployer.intentions.library import (applies_now, check_service_names, delete_intention, pending_changes,
                                         set_intention, sync_intentions, wait_changes_enforced)
from deployer.intentions.model import WILDCARD, Intention, IntentionChanges


def cmd_list(ctx, args) -> int:
    """Print every intention in Consul, ours marked as managed."""
    intentions = intentions_backend(ctx.clients).list()
    if ctx.json:
        ctx.console.json([i.as_json() for i in intentions])
        return 0
    print_intentions(ctx.console, intentions)
    return 0


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
    check_service_names(ctx.clients, ctx.values, [args.source, args.destination], args.force)
    previous = set_intention(ctx.clients, args.source, args.destination, action, args.force)
    pair = f"{args.source} -> {args.destination}"
    if previous and previous.action == action:
        ctx.console.line(f"{pair}: already {action}")
        return 0
    ctx.console.line(f"{pair}: {action} ({'was ' + previous.action if previous else 'created'})")
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
    deleted = delete_intention(ctx.clients, args.source, args.destination, args.force)
    pair = f"{args.source} -> {args.destination}"
    if deleted is None:
        ctx.console.line(f"{pair}: no intention, nothing to delete")
        return 0
    ctx.console.line(f"{pair}: deleted ({deleted.action})")
    if not args.no_wait:
        # What now applies comes from the remaining intentions and Consul's default: ask Consul.
        now = applies_now(ctx.clients, args.source, args.destination)
        ctx.console.line(f"{pair}: now {now} (remaining intentions and the default)")
        report_enforcement(ctx, args.source, args.destination, now, args.timeout)
    return 0


def cmd_apply(ctx, args) -> int:
    """Make Consul's intentions match the declared policy and report what changed."""
    changes = sync_intentions(ctx.clients, ctx.values)
    if ctx.json:
        ctx.console.json(changes.as_json())
    else:
        report_changes(ctx.console, changes, done=True)
    if not args.no_wait:
        report_changes_enforced(ctx, changes)
    return 0


def report_changes_enforced(ctx, changes: IntentionChanges) -> None:
    """Wait until the sidecars enforce the changes; say how long the slowest took."""
    results = wait_changes_enforced(ctx.clients, ctx.values, changes)
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
    _, changes = pending_changes(ctx.clients, ctx.values)
    drift = not changes.empty or bool(changes.conflicts)
    if ctx.json:
        ctx.console.json({"drift": drift, **changes.as_json()})
    else:
        report_changes(ctx.console, changes, done=False)
    return 1 if drift else 0
