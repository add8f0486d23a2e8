"""`deployer graph` and `deployer ui`: the CLI side (parse, print); the package decides and acts."""

from __future__ import annotations

from deployer.errors import DeployerError
from deployer.topology.dataplane import EdgeProber
from deployer.topology.read import read_topology

FORMATS = ("svg", "dot", "mermaid")


def probed_topology(clients, values, probe: bool = True):
    """The topology, each edge confirmed (or not) in the data plane when `probe`."""
    topology = read_topology(clients, values)
    if probe and topology.edges:
        with EdgeProber(clients) as prober:
            for edge in topology.edges:
                prober.probe(edge)
    return topology


def render(topology, fmt: str) -> str:
    """The topology in one of FORMATS."""
    from deployer.topology.render_svg import render_svg
    from deployer.topology.render_text import render_dot, render_mermaid
    return {"svg": render_svg, "dot": render_dot, "mermaid": render_mermaid}[fmt](topology)


def cmd_graph(ctx, args) -> int:
    """Print (or write to --out) the mesh as SVG, DOT or Mermaid; --json prints the model."""
    topology = probed_topology(ctx.clients, ctx.values, probe=not args.no_probe)
    if ctx.json:
        ctx.console.json(topology.as_json())
        return 0
    text = render(topology, args.format)
    if not args.out:
        ctx.console.out.write(text)
        ctx.console.out.flush()
        return 0
    try:
        with open(args.out, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise DeployerError(f"cannot write {args.out}: {exc.strerror}", hint="pick a writable --out path") from exc
    ctx.console.line(f"wrote {args.out} ({args.format}, {len(topology.nodes)} services, {len(topology.edges)} edges)")
    return 0


def cmd_ui(ctx, args) -> int:
    """Serve the live page on 127.0.0.1 until Ctrl-C."""
    from deployer.topology.ui.server import serve
    return serve(ctx, port=args.port)
