"""The topology as a standalone SVG (inline styles, no scripts): opens in any browser."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from deployer.topology.labels import STATE_COLOURS, STATUS_COLOURS, edge_label, node_lines, stats_lines
from deployer.topology.layout import NODE_H, NODE_W, Layout, layout
from deployer.topology.model import Topology

LEGEND_H = 40.0
STYLE = """
text { font-family: sans-serif; font-size: 12px; fill: #212121; }
.node rect { fill: #fafafa; stroke-width: 2.5; }
.node .title { font-weight: bold; font-size: 14px; }
.edge path.line { fill: none; stroke-width: 2.5; }
.edge path.hit { fill: none; stroke: transparent; stroke-width: 16; cursor: pointer; }
.edge .action { font-weight: bold; cursor: pointer; }
.edge .figures { font-size: 11px; fill: #424242; }
.edge.selected path.line { stroke-width: 4.5; }
.unconfirmed path.line { stroke-dasharray: 7 5; }
"""


def render_svg(topology: Topology, placed: Layout | None = None, stats: bool = False) -> str:
    """SVG text; `stats` adds each edge's figures under its label."""
    placed = placed or layout(topology)
    width, height = max(placed.width, 750.0), placed.height + LEGEND_H
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
           f'viewBox="0 0 {width:.0f} {height:.0f}" data-layout={quoteattr(placed.engine)}>',
           f"<style>{STYLE}</style>", "<defs>"]
    for state, colour in STATE_COLOURS.items():
        out.append(f'<marker id="arrow-{state}" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" '
                   f'markerWidth="12" markerHeight="12" orient="auto">'
                   f'<path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>')
    out.append("</defs>")
    for edge in topology.edges:
        points = placed.edges.get(edge.key)
        if points:
            out.append(_edge(edge, points, stats))
    for node in topology.nodes:
        out.append(_node(node, *placed.nodes[node.name]))
    out.append(_legend(placed.height + 10))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _edge(edge, points, stats: bool) -> str:
    colour = STATE_COLOURS[edge.state]
    d = path_data(points)
    x, y = label_point(points)
    classes = f"edge {edge.state}" + (" unconfirmed" if edge.state.endswith("-unconfirmed") else "")
    parts = [f'<g class="{classes}" id={quoteattr("edge-" + edge.source + "-" + edge.destination)} '
             f'data-edge={quoteattr(edge.key)} data-state={quoteattr(edge.state)}>',
             f"<title>{escape(edge.key)}: {escape(edge.dataplane_detail or edge.action)}</title>",
             f'<path class="line" d="{d}" stroke="{colour}" marker-end="url(#arrow-{edge.state})"/>',
             f'<path class="hit" d="{d}"/>',
             f'<text class="action" x="{x:.1f}" y="{y - 8:.1f}" text-anchor="middle" fill="{colour}" '
             f'style="fill:{colour}">{escape(edge_label(edge))}</text>']
    if stats:
        for i, line in enumerate(stats_lines(edge.stats)):
            parts.append(f'<text class="figures" x="{x:.1f}" y="{y + 17 + i * 14:.1f}" text-anchor="middle">'
                         f"{escape(line)}</text>")
    parts.append("</g>")
    return "".join(parts)


def _node(node, cx: float, cy: float) -> str:
    colour = STATUS_COLOURS[node.status]
    x, y = cx - NODE_W / 2, cy - NODE_H / 2
    lines = node_lines(node)
    parts = [f'<g class="node {node.status}" id={quoteattr("node-" + node.name)} data-node={quoteattr(node.name)} '
             f'data-status={quoteattr(node.status)}>',
             f"<title>{escape(node.name)}: {escape(node.status)}</title>",
             f'<rect x="{x:.1f}" y="{y:.1f}" width="{NODE_W:.0f}" height="{NODE_H:.0f}" rx="8" stroke="{colour}"/>']
    if node.edge:  # a second frame marks the service that publishes a host port
        parts.append(f'<rect x="{x + 4:.1f}" y="{y + 4:.1f}" width="{NODE_W - 8:.0f}" height="{NODE_H - 8:.0f}" '
                     f'rx="6" fill="none" stroke="{colour}" stroke-width="1"/>')
    for i, text in enumerate(lines):
        css = "title" if i == 0 else "info"
        parts.append(f'<text class="{css}" x="{cx:.1f}" y="{y + 22 + i * 17:.1f}" text-anchor="middle">'
                     f"{escape(text)}</text>")
    parts.append("</g>")
    return "".join(parts)


def _legend(y: float) -> str:
    items = [("allowed", "allowed ✓ confirmed"), ("allowed-unconfirmed", "allowed, not probed"),
             ("denied", "denied ✓ confirmed"), ("mismatch", "data plane differs")]
    parts = ['<g class="legend">']
    for i, (state, text) in enumerate(items):
        x = 10 + i * 185
        dash = ' stroke-dasharray="7 5"' if "unconfirmed" in state else ""
        parts.append(f'<line x1="{x}" y1="{y + 10}" x2="{x + 30}" y2="{y + 10}" stroke="{STATE_COLOURS[state]}" '
                     f'stroke-width="2.5"{dash}/><text x="{x + 36}" y="{y + 14}">{escape(text)}</text>')
    parts.append("</g>")
    return "".join(parts)


def path_data(points: list[tuple[float, float]]) -> str:
    """SVG path: a cubic Bézier spline when the point count is 3n+1 (as dot gives), else a polyline."""
    head = f"M{points[0][0]:.1f},{points[0][1]:.1f}"
    if len(points) >= 4 and (len(points) - 1) % 3 == 0:
        curves = [" C" + " ".join(f"{x:.1f},{y:.1f}" for x, y in points[i:i + 3]) for i in range(1, len(points), 3)]
        return head + "".join(curves)
    return head + "".join(f" L{x:.1f},{y:.1f}" for x, y in points[1:])


def label_point(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Roughly the middle of the edge, for its label."""
    if len(points) == 4:  # one cubic segment: its value at t = 0.5
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points
        return (x0 + 3 * x1 + 3 * x2 + x3) / 8, (y0 + 3 * y1 + 3 * y2 + y3) / 8
    return points[len(points) // 2]
