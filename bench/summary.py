"""Figures derived from the raw records: medians per target, CPU per 1000 requests, growth (pure)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from bench.results import EnforcementSeries, LoadRun, ScaleRun
from bench.stats import median, percentile


@dataclass(frozen=True)
class LoadSummary:
    """Medians over the rounds of one target, variant and concurrency."""

    target: str
    variant: str
    connections: int
    rounds: int
    rps: float
    p50_ms: float
    p99_ms: float
    p999_ms: float
    requests: int
    errors: int


def summarize_load(runs: list[LoadRun]) -> dict[tuple[str, str, int], LoadSummary]:
    """(target, variant, connections) -> medians of its rounds."""
    groups: dict[tuple[str, str, int], list[LoadRun]] = defaultdict(list)
    for run in runs:
        groups[(run.target, run.variant, run.connections)].append(run)
    return {key: LoadSummary(*key, rounds=len(group), rps=median([r.rps for r in group]),
                             p50_ms=median([r.p50_ms for r in group]), p99_ms=median([r.p99_ms for r in group]),
                             p999_ms=median([r.p999_ms for r in group]), requests=sum(r.requests for r in group),
                             errors=sum(r.errors for r in group))
            for key, group in groups.items()}


@dataclass(frozen=True)
class PairedRatios:
    """A target against direct, as the median of the per-round ratios (runs of one round ran back to back)."""

    p50: float
    p99: float
    rps: float
    rounds: int


def paired_ratios(runs: list[LoadRun], target: str, variant: str, connections: int,
                  baseline: str = "direct") -> PairedRatios | None:
    """target / baseline per round for p50, p99 and req/s; None without a round that has both."""
    def by_round(name: str) -> dict[int, LoadRun]:
        return {r.round: r for r in runs if (r.target, r.variant, r.connections) == (name, variant, connections)}

    mine, base = by_round(target), by_round(baseline)
    pairs = [(mine[n], base[n]) for n in sorted(mine.keys() & base.keys())
             if base[n].p50_ms and base[n].p99_ms and base[n].rps]
    if not pairs:
        return None
    return PairedRatios(median([m.p50_ms / b.p50_ms for m, b in pairs]), median([m.p99_ms / b.p99_ms for m, b in pairs]),
                        median([m.rps / b.rps for m, b in pairs]), len(pairs))


def cpu_per_thousand(runs: list[LoadRun]) -> dict[tuple[str, str, str], float]:
    """(target, variant, process label) -> CPU seconds per 1000 requests, over all runs."""
    cpu: dict[tuple[str, str, str], float] = defaultdict(float)
    requests: dict[tuple[str, str], int] = defaultdict(int)
    for run in runs:
        requests[(run.target, run.variant)] += run.requests
        for label, seconds in run.cpu_s.items():
            cpu[(run.target, run.variant, label)] += seconds
    return {key: seconds / requests[key[:2]] * 1000 for key, seconds in cpu.items() if requests[key[:2]]}


@dataclass(frozen=True)
class DelaySummary:
    """p50/p99 of one enforcement series, from the command's start and from its return (seconds)."""

    enforced: int
    flips: int
    p50_from_start: float | None
    p99_from_start: float | None
    p50_from_return: float | None
    p99_from_return: float | None
    cli_p50: float | None
    probe_p50: float | None


def summarize_delay(series: EnforcementSeries) -> DelaySummary:
    """Percentiles of the flips that took effect (None when none did)."""
    done = series.enforced

    def pct(values: list[float], q: float) -> float | None:
        return percentile(values, q) if values else None

    starts = [s.from_start_s for s in done]
    returns = [s.from_return_s for s in done]
    return DelaySummary(len(done), len(series.samples), pct(starts, 50), pct(starts, 99), pct(returns, 50),
                        pct(returns, 99), pct([s.cli_s for s in series.samples], 50), pct(series.probe_s, 50))


def linear_fit(points: list[tuple[float, float]]) -> tuple[float, float] | None:
    """Least-squares (slope, intercept) of y over x, or None with fewer than two distinct x."""
    xs = [x for x, _ in points]
    if len(set(xs)) < 2:
        return None
    mean_x = sum(xs) / len(xs)
    mean_y = sum(y for _, y in points) / len(points)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / sum((x - mean_x) ** 2 for x in xs)
    return slope, mean_y - slope * mean_x


def scale_growth(runs: list[ScaleRun], sidecar: str, shape: str) -> tuple[float, float] | None:
    """Seconds per added service and the fixed part, fitted over the sizes of one shape that applied."""
    return linear_fit([(r.services, r.apply_s) for r in runs if r.sidecar == sidecar and r.shape == shape and r.ok])


def cpu_ms_per_request(runs: list[LoadRun], target: str, variant: str) -> float | None:
    """CPU milliseconds all processes of a target (services and sidecars) spent per request."""
    mine = [r for r in runs if r.target == target and r.variant == variant]
    requests = sum(r.requests for r in mine)
    return sum(sum(r.cpu_s.values()) for r in mine) / requests * 1000 if requests else None
