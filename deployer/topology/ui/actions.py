"""What the page may change: one intention, through the same library as `deployer intentions`."""

from __future__ import annotations

from deployer.errors import DeployerError
from deployer.intentions.enforcement import EnforcementProbe, open_connection_note, wait_enforced
from deployer.intentions.library import check_service_names, set_intention

ACTIONS = ("allow", "deny")
ENFORCE_DEADLINE = 10.0


def change_intention(clients, values, source: str, destination: str, action: str) -> str:
    """Write a managed allow/deny for the pair and wait until the destination's sidecar enforces it.

    Returns a sentence for the page; raises DeployerError for anything the user must fix.
    """
    if action not in ACTIONS:
        raise DeployerError(f"unknown action {action!r}", hint="use allow or deny")
    check_service_names(clients, values, [source, destination], force=False)
    with EnforcementProbe(clients) as probe:
        if action == "deny":
            probe.keep_open([(source, destination)])
        previous = set_intention(clients, source, destination, action)
        pair = f"{source} -> {destination}"
        if previous and previous.action == action:
            return f"{pair}: already {action}"
        result = wait_enforced(clients, source, destination, action, deadline=ENFORCE_DEADLINE, probe=probe)
    written = f"{pair}: {action} ({'was ' + previous.action if previous else 'created'})"
    if result is None:
        return f"{written}; not probed: {destination} has no sidecar in Consul"
    if not result.enforced:
        raise DeployerError(f"{written}, but not enforced after {result.seconds:.1f}s: {result.detail}",
                            hint="check the destination's sidecar (deployer status)")
    note = open_connection_note(result)
    held = f"; {note[0]}" if note else ""
    return f"{written}; enforced by {destination}'s sidecar after {result.seconds * 1000:.0f} ms{held}"
