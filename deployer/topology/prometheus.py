"""Envoy's Prometheus text (`/stats/prometheus`): parse it and pick the series the page needs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SERIES = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')
HCM_PREFIX = "envoy_http_conn_manager_prefix"


def parse_series(text: str):
    """Yield (name, labels, value) for every sample line; comments and bad lines are skipped."""
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        match = SERIES.match(line)
        if not match:
            continue
        try:
            value = float(match.group(3))
        except ValueError:
            continue
        yield match.group(1), dict(LABEL.findall(match.group(2) or "")), value


def sanitize(text: str) -> str:
    """What Prometheus names make of a stat name: every character outside [a-zA-Z0-9_] becomes `_`."""
    return re.sub(r"[^a-zA-Z0-9_]", "_", text)


def http_stat(name: str, labels: dict) -> str | None:
    """The flat stat of an HTTP connection manager series, `http_<prefix>_<stat>`, however Envoy's tag
    extractors split it (they cut a dotted prefix such as `upstream.tax.default.default.dc1` in two)."""
    if not name.startswith("envoy_http_") or HCM_PREFIX not in labels:
        return None
    return f"http_{sanitize(labels[HCM_PREFIX])}_{name[len('envoy_http_'):]}"


@dataclass
class Scrape:
    """The series of one sidecar that the page uses: counters and latency histograms by flat stat."""

    counters: dict[str, float] = field(default_factory=dict)
    buckets: dict[str, dict[float, float]] = field(default_factory=dict)  # stat -> {le (ms): cumulative count}


def scrape_from_text(text: str) -> Scrape:
    """Keep downstream request counters (by response class), their time histograms, and RBAC counters."""
    scrape = Scrape()
    for name, labels, value in parse_series(text):
        stat = http_stat(name, labels)
        if stat is None:
            continue
        if stat.endswith("_downstream_rq_xx") and "envoy_response_code_class" in labels:
            scrape.counters[f"{stat[:-2]}{labels['envoy_response_code_class']}xx"] = value
        elif stat.endswith("_downstream_rq_total") or stat.endswith("_rbac_denied"):
            scrape.counters[stat] = value
        elif stat.endswith("_downstream_rq_time_bucket") and "le" in labels:
            bound = float("inf") if labels["le"] == "+Inf" else float(labels["le"])
            scrape.buckets.setdefault(stat[:-len("_bucket")], {})[bound] = value
    return scrape


def upstream_stat_prefix(stat: str, destination: str) -> bool:
    """Whether a flat stat belongs to the upstream listener for `destination`
    (stat prefix `upstream.<dest>.<namespace>.<partition>.<dc>`, or older Consul's `upstream.<dest>`)."""
    head = f"http_upstream_{sanitize(destination)}_"
    return stat.startswith(head) and (stat[len(head):].startswith("default_")
                                      or stat[len(head):].startswith("downstream_"))


def quantile(buckets: dict[float, float], q: float) -> float | None:
    """The q-quantile of a cumulative histogram, interpolated linearly inside its bucket; None if empty."""
    bounds = sorted(buckets)
    if not bounds or buckets[bounds[-1]] <= 0:
        return None
    target = q * buckets[bounds[-1]]
    lower_bound, lower_count = 0.0, 0.0
    for bound in bounds:
        count = buckets[bound]
        if count >= target:
            if bound == float("inf"):
                return lower_bound
            if count == lower_count:
                return bound
            return lower_bound + (bound - lower_bound) * (target - lower_count) / (count - lower_count)
        lower_bound, lower_count = bound, count
    return lower_bound
