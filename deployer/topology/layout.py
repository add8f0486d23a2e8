"""Where nodes and edges go: Graphviz `dot` when it is installed, else a layered layout in Python."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from dataclasses import dataclass

from deployer.topology.model import Topology

NODE_W, NODE_H = 210.0, 86.0     # px; dot gets the same size in inches (72 px each)
GAP_X, GAP_Y, MARGIN = 230.0, 50.0, 30.0
DOT_TIMEOUT = 10.0


@dataclass
class Layout:
    """Pixel positions: node centres, and each edge's polyline or cubic Bézier points."""

    width: float
    height: float
    nodes: dict[str, tuple[float, float]]
    edges: dict[str, list[tuple[float, float]]]   # key -> points; 4, 7, 10.. points = Bézier spline
    engine: str


def layout(topology: Topology, use_dot: bool = True) -> Layout:
    """Lay out with `dot` if asked and available, else with the pure-Python layered layout."""
    if use_dot and shutil.which("dot"):
        try:
            return dot_layout(topology)
        except (OSError, subprocess.SubprocessError, ValueError):
            pass  # a broken Graphviz install must not cost the user the picture
    return layered_layout(topology)


def layout_source(topology: Topology) -> str:
    """A minimal DOT graph with our node sizes, for `dot -Tplain`."""
    lines = ["digraph mesh {", "  rankdir=LR; nodesep=0.7; ranksep=3.2;",
             f'  node [shape=box, fixedsize=true, width={NODE_W / 72:.3f}, height={NODE_H / 72:.3f}];']
    lines += [f"  {quote(n.name)};" for n in topology.nodes]
    lines += [f"  {quote(e.source)} -> {quote(e.destination)};" for e in topology.edges]
    return "\n".join(lines + ["}"]) + "\n"


def dot_layout(topology: Topology) -> Layout:
    """Run `dot -Tplain` and convert its inches (origin bottom left) to pixels (origin top left)."""
    done = subprocess.run(["dot", "-Tplain"], input=layout_source(topology), capture_output=True, text=True,
                          timeout=DOT_TIMEOUT, check=True)
    nodes, edges, height = {}, {}, 0.0
    pending = {(e.source, e.destination): e.key for e in topology.edges}
    for line in done.stdout.splitlines():
        parts = shlex.split(line)
        if not parts:
            continue
        if parts[0] == "graph":
            width, height = float(parts[2]) * 72, float(parts[3]) * 72
        elif parts[0] == "node":
            nodes[parts[1]] = (float(parts[2]) * 72 + MARGIN, (height - float(parts[3]) * 72) + MARGIN)
        elif parts[0] == "edge":
            count = int(parts[3])
            coords = [float(v) * 72 for v in parts[4:4 + 2 * count]]
            key = pending.pop((parts[1], parts[2]), None)
            if key:
                edges[key] = [(coords[i] + MARGIN, height - coords[i + 1] + MARGIN) for i in range(0, len(coords), 2)]
    if set(nodes) != {n.name for n in topology.nodes}:
        raise ValueError("dot left out nodes")
    return Layout(width + 2 * MARGIN, height + 2 * MARGIN, nodes, edges, "dot")


def levels(topology: Topology) -> dict[str, int]:
    """Column of each node: the length of the longest call chain that reaches it (cycles cut)."""
    callers: dict[str, list[str]] = {n.name: [] for n in topology.nodes}
    for edge in topology.edges:
        callers.setdefault(edge.destination, []).append(edge.source)
    found: dict[str, int] = {}

    def depth(name: str, seen: frozenset) -> int:
        if name in found:
            return found[name]
        parents = [c for c in callers.get(name, []) if c not in seen]
        value = 1 + max((depth(c, seen | {name}) for c in parents), default=-1)
        found[name] = value
        return value

    for node in topology.nodes:
        depth(node.name, frozenset())
    return found


def layered_layout(topology: Topology) -> Layout:
    """Callers left of what they call; one column per level, nodes of a column stacked."""
    columns: dict[int, list[str]] = {}
    for name, level in levels(topology).items():
        columns.setdefault(level, []).append(name)
    rows = max((len(c) for c in columns.values()), default=1)
    height = rows * NODE_H + (rows - 1) * GAP_Y + 2 * MARGIN
    nodes = {}
    for level, names in sorted(columns.items()):
        offset = (height - (len(names) * NODE_H + (len(names) - 1) * GAP_Y)) / 2
        for row, name in enumerate(names):
            nodes[name] = (MARGIN + NODE_W / 2 + level * (NODE_W + GAP_X), offset + NODE_H / 2 + row * (NODE_H + GAP_Y))
    edges = {}
    for edge in topology.edges:
        (x1, y1), (x2, y2) = nodes[edge.source], nodes[edge.destination]
        start = (x1 + NODE_W / 2, y1) if x2 > x1 else (x1, y1 + NODE_H / 2)
        end = (x2 - NODE_W / 2, y2) if x2 > x1 else (x2, y2 - NODE_H / 2)
        mid_x = (start[0] + end[0]) / 2
        edges[edge.key] = [start, (mid_x, start[1]), (mid_x, end[1]), end]
    width = max((x for x, _ in nodes.values()), default=0) + NODE_W / 2 + MARGIN
    return Layout(width, height, nodes, edges, "python")


def quote(name: str) -> str:
    """A DOT ID in double quotes."""
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
