"""The hop profile in the report: per target, the median over the rounds of each part of the chain."""

from __future__ import annotations

from bench.hop_profile import OUTSIDE, PARTS
from bench.markdown import table
from bench.stats import median

CLIENT = "client p50"
ORDER = ("direct", "envoy", "builtin")


def hop_summary(load) -> dict[str, dict[str, float]]:
    """{target: {CLIENT, each of PARTS, "requests": joined per run}} over the runs that carry a hop profile."""
    by_target: dict[str, list] = {}
    for run in load:
        if run.hop_ms:
            by_target.setdefault(run.target, []).append(run)
    summary = {}
    for target, runs in by_target.items():
        parts = {part: median([run.hop_ms[part] for run in runs if part in run.hop_ms]) for part in PARTS}
        summary[target] = {CLIENT: median([run.p50_ms for run in runs]), **parts,
                           "requests": median([run.hop_ms.get("requests", 0.0) for run in runs])}
    return summary


def hop_lines(load) -> list[str]:
    """The report's table of where a request's time goes (nothing when no run read the apps' logs)."""
    summary = hop_summary(load)
    if not summary:
        return []
    targets = sorted(summary, key=lambda t: ORDER.index(t) if t in ORDER else len(ORDER))
    rows = [[target, *(f"{summary[target][key]:.2f}" for key in (CLIENT, *PARTS)),
             f"{summary[target]['requests']:.0f}"] for target in targets]
    if "direct" in summary:
        rows += [[f"{target} - direct", *(f"{summary[target][key] - summary['direct'][key]:+.2f}"
                                          for key in (CLIENT, *PARTS)), ""]
                 for target in targets if target != "direct"]
    return (["", "### Where the time goes (keep-alive, one connection)", "",
             "From the apps' own request logs, in the same runs: each app logs its handler's duration, and order "
             "passes its request ID down the chain. Per request, order's handler minus invoice's is order's own "
             "work plus its call to invoice (in a mesh: order's upstream listener, TLS, invoice's public listener, "
             "and back); invoice's minus tax's the same for invoice's call to tax. \"Outside order's handler\" is "
             "wrk's p50 minus the median of order's handler: wrk, the connection, gunicorn and Flask. Medians over "
             "the requests of a run, then over the rounds; the parts are medians each, so they add up only roughly.",
             ""]
            + table(["target", "wrk p50 (ms)", *(f"{part} (ms)" for part in PARTS), "requests joined per run"],
                     rows))


def hop_sentence(load, target: str = "envoy") -> str:
    """Where `target`'s extra p50 over direct goes, part by part ("" without both profiles)."""
    summary = hop_summary(load)
    if target not in summary or "direct" not in summary:
        return ""
    extra = {key: summary[target][key] - summary["direct"][key] for key in (CLIENT, *PARTS)}
    return (f" The apps' request logs (keep-alive, one connection) show where {target}'s extra "
            f"{extra[CLIENT]:.2f} ms at p50 go: {extra[PARTS[1]]:.2f} ms in order's call to invoice and "
            f"{extra[PARTS[2]]:.2f} ms in invoice's call to tax (each call crosses the caller's upstream listener and "
            f"the callee's public listener, with TLS between them), {extra[PARTS[3]]:.2f} ms in tax's handler and "
            f"{extra[OUTSIDE]:.2f} ms outside order's handler.")
