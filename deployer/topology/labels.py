"""The words on the picture: node lines and edge labels, shared by every renderer."""

from __future__ import annotations

from deployer.topology.model import CONFIRMED, MISMATCH, EdgeLink, EdgeStats, ServiceNode

STATE_COLOURS = {"allowed": "#2e7d32", "allowed-unconfirmed": "#2e7d32", "denied": "#c62828",
                 "denied-unconfirmed": "#c62828", "mismatch": "#ef6c00"}
STATUS_COLOURS = {"passing": "#2e7d32", "warning": "#ef6c00", "critical": "#c62828", "missing": "#9e9e9e"}


def node_lines(node: ServiceNode) -> list[str]:
    """Name (marked when it is the edge service), version and instances, Consul health of service and sidecar."""
    title = f"{node.name} (edge)" if node.edge else node.name
    if not node.present:
        return [title, "no Nomad job", f"checks: {node.health}", f"sidecar: {node.sidecar_health}"]
    return [title, f"v{node.version} · {node.running}/{node.desired} running", f"checks: {node.health}",
            f"sidecar: {node.sidecar_health}"]


def edge_label(edge: EdgeLink) -> str:
    """`allow ✓`: what applies, and whether the data plane confirmed it (✓), contradicts it (✗) or was not probed."""
    mark = {CONFIRMED: " ✓", MISMATCH: " ✗ data plane differs"}.get(edge.dataplane, " ?")
    return f"{edge.action}{mark}"


def stats_lines(stats: EdgeStats) -> list[str]:
    """`2.0 rps · 0% err` and `p50 3 ms · p99 9 ms · 0.0 denied/s`, or the reason there are no figures."""
    if stats.rps is None:  # the reason is in the edge's details; the picture stays short
        return ["no stats" if not stats.note or stats.note.startswith("no stats") else stats.note]
    first = [f"{stats.rps:.1f} rps"]
    if stats.error_rate is not None:
        first.append(f"{stats.error_rate * 100:.0f}% err")
    second = []
    if stats.p50_ms is not None:
        second.append(f"p50 {format_ms(stats.p50_ms)}")
    if stats.p99_ms is not None:
        second.append(f"p99 {format_ms(stats.p99_ms)}")
    if stats.rbac_denied_per_s is not None:
        second.append(f"{stats.rbac_denied_per_s:.1f} denied/s")
    return [" · ".join(first)] + ([" · ".join(second)] if second else [])


def format_ms(value: float) -> str:
    """Milliseconds with sensible precision."""
    return f"{value:.1f} ms" if value < 10 else f"{value:.0f} ms"
