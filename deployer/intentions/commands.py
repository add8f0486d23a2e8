"""The `deployer intentions ...` subcommands: parse, call the library, print."""

from __future__ import annotations

from deployer.errors import DeployerError
from deployer.intentions.backend import intentions_backend
from deployer.intentions.enforcement import (CHECKED_AT_OPEN, OPEN_CONNECTION_GRACE_S, EnforcementProbe,
                                             open_connection_note, wait_enforced)
from deployer.intentions.library import (applies_now, check_service_names, delete_intention, pending_changes,
                                         set_intention, sync_intentions, wait_changes_enforced)
from deployer.intentions.model import WILDCARD, Intention, IntentionChanges
from deployer.verify.probe import ALLOWED


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
    with EnforcementProbe(ctx.clients) as probe:
        if action == "deny":
            hold_open_connection(probe, args)
        previous = set_intention(ctx.clients, args.source, args.destination, action, args.force)
        pair = f"{args.source} -> {args.destination}"
        if previous and previous.action == action:
            ctx.console.line(f"{pair}: already {action}")
            return 0
        ctx.console.line(f"{pair}: {action} ({'was ' + previous.action if previous else 'created'})")
        if not args.no_wait:
            report_enforcement(ctx, args.source, args.destination, action, args.timeout, probe)
    return 0


def hold_open_connection(probe: EnforcementProbe, args) -> None:
    """Before a write that may deny the pair: hold a connection open, to ask whether the deny reaches it."""
    if not args.no_wait and WILDCARD not in (args.source, args.destination):
        probe.keep_open([(args.source, args.destination)])


def report_enforcement(ctx, source: str, destination: str, action: str, deadline: float,
                       probe: EnforcementProbe | None = None) -> None:
    """Wait for the sidecar to enforce the change and say how long it took (and what a held connection saw)."""
    if WILDCARD in (source, destination):
        ctx.console.line("wildcard intention: not probed in the data plane")
        return
    result = wait_enforced(ctx.clients, source, destination, action, deadline=deadline, probe=probe)
    if result is None:
        ctx.console.line(f"not probed: {destination} has no sidecar in Consul yet")
    elif result.enforced:
        ctx.console.line(f"enforced by {destination}'s sidecar after {result.seconds * 1000:.0f} ms ({result.detail})")
        report_open_connection(ctx, result)
    else:
        raise DeployerError(f"{source} -> {destination} not enforced as {action} after {result.seconds:.1f}s: "
                            f"{result.detail}", hint="check the sidecar of the destination (deployer status)")


def report_open_connection(ctx, result) -> None:
    """Say what the connection held open across the change saw; a warning when it is still allowed."""
    note = open_connection_note(result)
    if note is not None:
        text, warns = note
        (ctx.console.warning if warns else ctx.console.line)(text)


def cmd_delete(ctx, args) -> int:
    """Delete the intention for SRC -> DST; saying so when there is none."""
    with EnforcementProbe(ctx.clients) as probe:
        hold_open_connection(probe, args)  # what applies after the delete is known only then: it may be a deny
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
            report_enforcement(ctx, args.source, args.destination, now, args.timeout, probe)
    return 0


def cmd_apply(ctx, args) -> int:
    """Make Consul's intentions match the declared policy and report what changed."""
    with EnforcementProbe(ctx.clients) as probe:
        changes = sync_intentions(ctx.clients, ctx.values, None if args.no_wait else probe)
        if ctx.json:
            ctx.console.json(changes.as_json())
        else:
            report_changes(ctx.console, changes, done=True)
        if not args.no_wait:
            report_changes_enforced(ctx, changes, probe)
    return 0


def report_changes_enforced(ctx, changes: IntentionChanges, probe: EnforcementProbe | None = None) -> None:
    """Wait until the sidecars enforce the changes; say how long the slowest took and what held connections saw."""
    results = wait_changes_enforced(ctx.clients, ctx.values, changes, probe=probe)
    if results and not ctx.json:
        slowest = max(r.seconds for r in results)
        ctx.console.line(f"intentions: enforced by the sidecars for {len(results)} pair(s) "
                         f"within {slowest * 1000:.0f} ms")
        report_open_connections(ctx, results)


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


def report_open_connections(ctx, results: list) -> None:
    """One line for the held connections the deny reached, one warning for those it did not."""
    held = [r for r in results if r.open_connection is not None]
    if len(held) == 1:
        report_open_connection(ctx, held[0])
        return
    reached = [r for r in held if r.open_connection.outcome != ALLOWED]
    missed = [r for r in held if r.open_connection.outcome == ALLOWED]
    if reached:
        slowest = max(r.open_connection.seconds for r in reached)
        ctx.console.line(f"intentions: connections opened before the change: denied or closed for {len(reached)} "
                         f"pair(s) within {slowest * 1000:.0f} ms")
    if missed:
        pairs = ", ".join(f"{r.source} -> {r.destination}" for r in missed)
        ctx.console.warning(f"connections opened before the change are still allowed for {len(missed)} pair(s) "
                            f"({pairs}) {OPEN_CONNECTION_GRACE_S:g}s after new connections were denied: each "
                            f"destination's sidecar {CHECKED_AT_OPEN}")


def cmd_diff(ctx, args) -> int:
    """Show drift between Consul and the declared policy; exit 1 when there is some."""
    _, changes = pending_changes(ctx.clients, ctx.values)
    drift = not changes.empty or bool(changes.conflicts)
    if ctx.json:
        ctx.console.json({"drift": drift, **changes.as_json()})
    else:
        report_changes(ctx.console, changes, done=False)
    return 1 if drift else 0
