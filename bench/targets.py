"""The issue's targets, checked against a run's figures (pure): each row says met, missed or not measured."""

from __future__ import annotations

from dataclasses import dataclass

from bench.results import Results
from bench.stats import median, percentile
from bench.summary import paired_ratios, summarize_delay, summarize_load

LATENCY_P50_LIMIT = 1.25
LATENCY_P99_LIMIT = 1.5
THROUGHPUT_FLOOR = 0.80
DENY_P99_LIMIT_S = 0.100
COLD_APPLY_LIMIT_S = 5.0
TREE_30_LIMIT = 3.0
SCALE_SERVICES = 100
SMALL_SERVICES = 3  # issue 12's deny target holds "at 3 and at 100 services"
SCALE_DENY_P99_LIMIT_MS = 20.0
SIDECAR_PRIVATE_MIB = 20.0


@dataclass(frozen=True)
class TargetRow:
    """One target: what was asked, what was measured, and whether it was met (None: not measured)."""

    target: str
    measured: str
    met: bool | None

    @property
    def verdict(self) -> str:
        """met / MISSED / not measured."""
        return {True: "met", False: "**MISSED**", None: "not measured"}[self.met]


def _latency_rows(results: Results) -> list[TargetRow]:
    loads = summarize_load(results.load)
    rows = []
    for connections in sorted({k[2] for k in loads if k[1] == "keep-alive"}):
        direct, envoy = loads.get(("direct", "keep-alive", connections)), loads.get(("envoy", "keep-alive", connections))
        paired = paired_ratios(results.load, "envoy", "keep-alive", connections)
        for name, limit, field in (("p50", LATENCY_P50_LIMIT, "p50"), ("p99", LATENCY_P99_LIMIT, "p99")):
            target = f"chain latency via Envoy {name} <= {limit}x direct (keep-alive, {connections} connection(s))"
            if direct is None or envoy is None or paired is None:
                rows.append(TargetRow(target, "-", None))
                continue
            factor = getattr(paired, field)
            rows.append(TargetRow(target, f"{factor:.3f}x (medians {getattr(envoy, field + '_ms'):.2f} ms vs "
                                          f"{getattr(direct, field + '_ms'):.2f} ms)", factor <= limit))
    return rows


def _throughput_rows(results: Results) -> list[TargetRow]:
    loads = summarize_load(results.load)
    rows = []
    for variant in ("keep-alive", "new connection"):
        levels = [k[2] for k in loads if k[1] == variant]
        if not levels:
            continue
        connections = max(levels)
        direct, envoy = loads.get(("direct", variant, connections)), loads.get(("envoy", variant, connections))
        paired = paired_ratios(results.load, "envoy", variant, connections)
        target = f"throughput via Envoy >= {THROUGHPUT_FLOOR:.0%} of direct ({variant}, {connections} connections)"
        if direct is None or envoy is None or paired is None:
            rows.append(TargetRow(target, "-", None))
            continue
        share = paired.rps
        rows.append(TargetRow(target, f"{share:.1%} (medians {envoy.rps:.0f} vs {direct.rps:.0f} req/s)",
                              share >= THROUGHPUT_FLOOR))
    return rows


def _deny_rows(results: Results) -> list[TargetRow]:
    rows = []
    for series in results.enforcement:
        if series.action != "deny" or series.connections != "new":
            continue
        target = (f"deny enforced on new connections within {DENY_P99_LIMIT_S * 1000:g} ms (p99) of the command "
                  f"returning ({series.sidecar})")
        delay = summarize_delay(series)
        if delay.p99_from_return is None:
            rows.append(TargetRow(target, f"never enforced in {delay.flips} flips", False if delay.flips else None))
            continue
        all_enforced = delay.enforced == delay.flips
        met = all_enforced and delay.p99_from_return <= DENY_P99_LIMIT_S
        rows.append(TargetRow(target, f"p99 {delay.p99_from_return * 1000:.0f} ms "
                                      f"({delay.enforced}/{delay.flips} flips enforced)", met))
    return rows


def _apply_rows(results: Results) -> list[TargetRow]:
    rows = []
    for sidecar in dict.fromkeys(a.sidecar for a in results.applies):
        runs = [a for a in results.applies if a.sidecar == sidecar]
        value = median([a.apply_s for a in runs])
        green = all(a.verify_ok for a in runs)
        rows.append(TargetRow(f"cold apply of the 3-service mesh <= {COLD_APPLY_LIMIT_S:g} s ({sidecar})",
                              f"{value:.2f} s (median of {len(runs)}; verify {'green' if green else 'FAILED'})",
                              value <= COLD_APPLY_LIMIT_S and green))
    return rows


def _tree_rows(results: Results) -> list[TargetRow]:
    rows = []
    for sidecar in dict.fromkeys(s.sidecar for s in results.scale):
        tree = [s for s in results.scale if s.sidecar == sidecar and s.shape == "tree" and s.services == 30]
        base = [a.apply_s for a in results.applies if a.sidecar == sidecar]
        target = f"apply of a 30-service tree (depth 3) <= {TREE_30_LIMIT:g}x the 3-service mesh ({sidecar})"
        if not tree or not base or not tree[0].ok:
            rows.append(TargetRow(target, f"apply failed: {tree[0].failure}" if tree else "-",
                                  False if tree else None))
            continue
        factor = tree[0].apply_s / median(base)
        rows.append(TargetRow(target, f"{factor:.3f}x ({tree[0].apply_s:.2f} s vs {median(base):.2f} s)",
                              factor <= TREE_30_LIMIT))
    return rows


def _scale_rows(results: Results) -> list[TargetRow]:
    """Issue 12: 100 Envoy sidecars apply and verify; deny within 20 ms p99 there; 20 MiB private per sidecar."""
    rows = []
    big = [s for s in results.scale if s.sidecar == "envoy" and s.services >= SCALE_SERVICES]
    target = f"a {SCALE_SERVICES}-service mesh with Envoy applies and passes `deployer verify`"
    profiles = [p for p in results.scale_profiles if p.sidecar == "envoy" and p.services >= SCALE_SERVICES]
    if big:
        ok = all(s.ok for s in big) and bool(profiles) and all(p.verify_ok for p in profiles)
        measured = "; ".join(f"{s.shape}: " + (f"applied in {s.apply_s:.1f} s" if s.ok else f"FAILED: {s.failure}")
                             for s in big)
        rows.append(TargetRow(target, measured + ("" if not profiles else
                                                  f", verify {'green' if ok else 'FAILED'}"), ok))
    else:
        rows.append(TargetRow(target, "-", None))
    small = [p for p in results.scale_profiles if p.sidecar == "envoy" and p.services == SMALL_SERVICES]
    for size, sized in ((SMALL_SERVICES, small), (SCALE_SERVICES, profiles)):
        for interval in dict.fromkeys(p.check_interval for p in sized) or [""]:
            rows.extend(_scale_deny_rows(size, [p for p in sized if p.check_interval == interval], interval))
    sizes = [m for p in results.scale_profiles if p.sidecar == "envoy" for m in p.sidecar_private_mib]
    target = f"Envoy sidecar private memory <= {SIDECAR_PRIVATE_MIB:g} MiB (median over the profiled meshes)"
    rows.append(TargetRow(target, f"{median(sizes):.1f} MiB (max {max(sizes):.1f}, {len(sizes)} sidecars)"
                          if sizes else "-", (median(sizes) <= SIDECAR_PRIVATE_MIB) if sizes else None))
    return rows


def scale_deny_scope(size: int, check_interval: str = "") -> str:
    """How a scale deny target names its mesh, e.g. "100 services (envoy, health checks every 10s)"."""
    checks = f", health checks every {check_interval}" if check_interval else ""
    return f"{size} services (envoy{checks})"


def _scale_deny_rows(size: int, profiles: list, check_interval: str = "") -> list[TargetRow]:
    """Deny within 20 ms p99 on new and kept-alive connections, probed at the destination's sidecar."""
    rows = []
    for label, field in (("new connections", "deny_new_ms"), ("a kept-alive connection", "deny_kept_alive_ms")):
        target = (f"deny enforced on {label} within {SCALE_DENY_P99_LIMIT_MS:g} ms (p99) of the command "
                  f"returning, {scale_deny_scope(size, check_interval)}")
        delays = [d for p in profiles for d in getattr(p, field)]
        if not delays:
            rows.append(TargetRow(target, "-", None if not profiles else False))
            continue
        p99 = percentile(delays, 99)
        missed = any(p.note for p in profiles)
        rows.append(TargetRow(target, f"p99 {p99:.1f} ms ({len(delays)} flips)" + (" (some never)" if missed else ""),
                              p99 <= SCALE_DENY_P99_LIMIT_MS and not missed))
    return rows


def target_rows(results: Results) -> list[TargetRow]:
    """Every target the run has figures for, in the issue's order."""
    return (_latency_rows(results) + _throughput_rows(results) + _deny_rows(results) + _apply_rows(results)
            + _tree_rows(results) + _scale_rows(results))
