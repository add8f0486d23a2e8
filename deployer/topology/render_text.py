"""The topology as Graphviz DOT and as a Mermaid flowchart (text formats people paste elsewhere)."""

from __future__ import annotations

import re

from deployer.topology.labels import STATE_COLOURS, STATUS_COLOURS, edge_label, node_lines
from deployer.topology.layout import quote
from deployer.topology.model import Topology


def render_dot(topology: Topology) -> str:
    """A DOT digraph, coloured as the SVG is; `dot -Tsvg` draws it."""
    lines = ["digraph mesh {", "  rankdir=LR; nodesep=0.7; ranksep=1.6;",
             '  node [shape=box, style="rounded,filled", fillcolor="#fafafa", fontname="sans-serif"];',
             '  edge [fontname="sans-serif"];']
    for node in topology.nodes:
        label = "\\n".join(line.replace('"', "'") for line in node_lines(node))
        peripheries = 2 if node.edge else 1
        lines.append(f'  {quote(node.name)} [label="{label}", color="{STATUS_COLOURS[node.status]}", '
                     f'penwidth=2, peripheries={peripheries}];')
    for edge in topology.edges:
        style = "dashed" if edge.state.endswith("-unconfirmed") else "solid"
        colour = STATE_COLOURS[edge.state]
        lines.append(f'  {quote(edge.source)} -> {quote(edge.destination)} [label="{edge_label(edge)}", '
                     f'color="{colour}", fontcolor="{colour}", style={style}, penwidth=2];')
    return "\n".join(lines + ["}"]) + "\n"


def render_mermaid(topology: Topology) -> str:
    """A Mermaid `flowchart LR` with the same words and colours."""
    ids = {node.name: mermaid_id(node.name, i) for i, node in enumerate(topology.nodes)}
    lines = ["flowchart LR"]
    for node in topology.nodes:
        text = "<br/>".join(mermaid_text(line) for line in node_lines(node))
        shape = ("[[", "]]") if node.edge else ("[", "]")
        lines.append(f'  {ids[node.name]}{shape[0]}"{text}"{shape[1]}:::{node.status}')
    for index, edge in enumerate(topology.edges):
        arrow = "-.->" if edge.state.endswith("-unconfirmed") else "-->"
        lines.append(f'  {ids[edge.source]} {arrow}|"{mermaid_text(edge_label(edge))}"| {ids[edge.destination]}')
        lines.append(f"  linkStyle {index} stroke:{STATE_COLOURS[edge.state]},stroke-width:2px")
    for status, colour in STATUS_COLOURS.items():
        lines.append(f"  classDef {status} stroke:{colour},stroke-width:2px")
    return "\n".join(lines) + "\n"


def mermaid_id(name: str, index: int) -> str:
    """A Mermaid node id: letters, digits and underscores, unique by index."""
    return f"n{index}_" + re.sub(r"[^A-Za-z0-9_]", "_", name)


def mermaid_text(text: str) -> str:
    """Text inside a quoted Mermaid label (double quotes become #quot;)."""
    return text.replace('"', "#quot;")
